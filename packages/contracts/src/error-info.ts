import * as z from 'zod/mini';

/**
 * What a Catch writes at `ResultPath: '$.errorInfo'`: the ASL error name and its cause.
 * For a Lambda function error, `Error` is the thrown error's `name` and `Cause` is the JSON string
 * `{"errorMessage", "errorType", "trace"}` (see {@link parseLambdaCause}).
 * `Cause` may be absent for some service-raised errors, so it is optional here.
 */
export const ErrorInfoSchema = z.object({
  Error: z.string().check(z.maxLength(256)),
  Cause: z.optional(z.string().check(z.maxLength(262_144))),
});
export type ErrorInfo = z.infer<typeof ErrorInfoSchema>;

/** The Catch ResultPath of {@link ErrorInfo} in the saga state. */
export const ERROR_INFO_PATH = '$.errorInfo';

/** The payload Lambda puts in `Cause` when function code throws. */
export const LambdaCauseSchema = z.object({
  errorType: z.optional(z.string()),
  errorMessage: z.optional(z.string()),
  trace: z.optional(z.array(z.string())),
});
export type LambdaCause = z.infer<typeof LambdaCauseSchema>;

/**
 * Reads a Lambda `Cause` string. Never throws: returns `undefined` when the cause is missing, is not
 * JSON, or has neither a string `errorType` nor a string `errorMessage`. Fields of the wrong type are dropped.
 *
 * @example parseLambdaCause(errorInfo.Cause)?.errorMessage
 */
export function parseLambdaCause(cause: string | undefined): LambdaCause | undefined {
  if (cause === undefined || cause.length === 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(cause);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const record = parsed as Record<string, unknown>;
  const result: { errorType?: string; errorMessage?: string; trace?: string[] } = {};
  if (typeof record['errorType'] === 'string') result.errorType = record['errorType'];
  if (typeof record['errorMessage'] === 'string') result.errorMessage = record['errorMessage'];
  if (result.errorType === undefined && result.errorMessage === undefined) return undefined;
  const trace = record['trace'];
  if (Array.isArray(trace) && trace.every((line): line is string => typeof line === 'string')) result.trace = trace;
  return result;
}
