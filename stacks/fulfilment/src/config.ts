import { z } from 'zod';
import { LAYER_VERSION_ARN, SECRETS_EXTENSION_DEFAULT_PORT, secretsExtensionLayerArn } from './secrets-extension.js';

/**
 * The typed configuration of one deployment of the fulfilment stack (one Terraform stack per
 * environment), and of the Terraform state backend. Everything here is parsed with zod once, in
 * `environments.ts` and `main.ts`; the stack only ever sees parsed values.
 */

/** The Lambda apps of the saga (`apps/<name>`), in the order the saga uses them. */
export const FUNCTION_NAMES = [
  'charge-payment',
  'reserve-stock',
  'book-shipment',
  'emit-receipt',
  'refund-payment',
  'release-stock',
  'analyze-error',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/** The retention periods CloudWatch Logs accepts (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** SQS keeps a message at most 14 days: a review must be decided (or time out) before that. */
export const SQS_MAX_RETENTION_SECONDS = 1_209_600;

/** Settings of one Lambda function. */
export const FunctionSettingsSchema = z.strictObject({
  /** Memory in MB (128..10240); CPU scales with it. */
  memoryMb: z.int().min(128).max(10_240),
  /** The function's timeout (1..900 s). The Task's TimeoutSeconds is this plus {@link TASK_TIMEOUT_MARGIN_SECONDS}. */
  timeoutSeconds: z.int().min(1).max(900),
  /**
   * The directory holding the esbuild bundle `handler.mjs` (absolute, or relative to the repository root).
   * @default `apps/<name>/dist/lambda` (built by `npx nx run-many -t bundle`)
   */
  bundleDir: z.string().min(1).optional(),
});
export type FunctionSettings = z.infer<typeof FunctionSettingsSchema>;

/** Extra seconds a Task waits beyond its function's timeout, so the function's own timeout fires first. */
export const TASK_TIMEOUT_MARGIN_SECONDS = 5;

/** Defaults per function: Stripe and Bedrock calls get more memory (faster TLS and JSON) and time. */
export const DEFAULT_FUNCTION_SETTINGS: Readonly<Record<FunctionName, FunctionSettings>> = {
  'charge-payment': { memoryMb: 512, timeoutSeconds: 20 },
  'reserve-stock': { memoryMb: 256, timeoutSeconds: 10 },
  'book-shipment': { memoryMb: 256, timeoutSeconds: 15 },
  'emit-receipt': { memoryMb: 256, timeoutSeconds: 10 },
  'refund-payment': { memoryMb: 512, timeoutSeconds: 20 },
  'release-stock': { memoryMb: 256, timeoutSeconds: 10 },
  'analyze-error': { memoryMb: 512, timeoutSeconds: 45 },
};

const functionsShape = Object.fromEntries(
  FUNCTION_NAMES.map((name) => [name, FunctionSettingsSchema.default(DEFAULT_FUNCTION_SETTINGS[name])]),
) as { [K in FunctionName]: z.ZodDefault<typeof FunctionSettingsSchema> };

/** A full Secrets Manager secret ARN, including the 6-character suffix AWS appends to the name. */
const SECRET_ARN = /^arn:aws(?:-[a-z]+)*:secretsmanager:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;

/** The human-review timing: how long a review may take, and when an unanswered one alarms. */
export const ReviewSettingsSchema = z
  .strictObject({
    /** WaitForHumanReview's TimeoutSeconds: an undecided review compensates after this. */
    timeoutSeconds: z.int().min(60).max(SQS_MAX_RETENTION_SECONDS - 3_600),
    /**
     * WaitForHumanReview's HeartbeatSeconds: the review console must call SendTaskHeartbeat at
     * least this often while a review is open, or the review times out (and compensates).
     */
    heartbeatSeconds: z.int().min(60),
    /** The review-queue age (ApproximateAgeOfOldestMessage, seconds) that raises the alarm. */
    queueAgeAlarmSeconds: z.int().min(60),
  })
  .refine((r) => r.heartbeatSeconds < r.timeoutSeconds, {
    message: 'heartbeatSeconds must be less than timeoutSeconds',
    path: ['heartbeatSeconds'],
  })
  .refine((r) => r.queueAgeAlarmSeconds < r.timeoutSeconds, {
    message: 'queueAgeAlarmSeconds must be less than timeoutSeconds (alarm before reviews expire)',
    path: ['queueAgeAlarmSeconds'],
  });
export type ReviewSettings = z.infer<typeof ReviewSettingsSchema>;

/** One deployment (one Terraform stack). */
export const EnvironmentConfigSchema = z.strictObject({
  /** The Terraform stack name (`cdktf deploy <stackName>`, `cdktf.out/stacks/<stackName>`). */
  stackName: z.string().regex(/^[a-z][a-z0-9-]{0,29}$/, 'lowercase letters, digits and -'),
  /** The AWS region everything is deployed to. */
  region: z.string().regex(/^[a-z]{2}(?:-[a-z]+)+-\d$/, 'an AWS region such as eu-west-1'),
  /** Prefix of every resource name, e.g. `saga-dev` gives `saga-dev-charge-payment`. */
  namePrefix: z.string().regex(/^[a-z][a-z0-9-]{0,22}[a-z0-9]$/, 'lowercase letters, digits and -, at most 24 characters'),
  /** Receives the alarms and the saga's success/failure notifications (SNS email subscription). */
  alarmEmail: z.email(),
  /**
   * The Bedrock model or inference-profile id AnalyzeError calls (check
   * `aws bedrock list-inference-profiles` in the target account), e.g. `eu.anthropic.claude-haiku-4-5-20251001-v1:0`.
   */
  bedrockModelId: z.string().regex(/^[a-z0-9][a-z0-9.:-]{2,200}$/, 'a Bedrock model or inference-profile id'),
  /** The Secrets Manager secret holding the Stripe API key (created outside this stack; never a value here). */
  stripeSecretArn: z.string().regex(SECRET_ARN, 'a full Secrets Manager secret ARN (with its 6-character suffix)'),
  /** The carrier API's base URL (https). */
  carrierEndpoint: z.url({ protocol: /^https$/ }),
  /**
   * The AWS Parameters and Secrets Lambda Extension layer of ChargePayment and RefundPayment, which
   * read the Stripe key through it. By default the region's arm64 layer of extension 1.0.103 (the
   * table in `secrets-extension.ts`, from the AWS docs); `layerVersion` picks another version of that
   * layer (versions differ per region: take it from the AWS docs), `layerArn` any layer of the region.
   */
  secretsExtension: z
    .strictObject({
      layerVersion: z.int().min(1).optional(),
      layerArn: z.string().regex(LAYER_VERSION_ARN, 'a Lambda layer version ARN').optional(),
      /** `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` of the extension and the functions. */
      httpPort: z.int().min(1024).max(65_535).default(SECRETS_EXTENSION_DEFAULT_PORT),
    })
    .refine((s) => s.layerVersion === undefined || s.layerArn === undefined, { message: 'set layerVersion or layerArn, not both' })
    .default({ httpPort: SECRETS_EXTENSION_DEFAULT_PORT }),
  /** Retention of every log group (Lambdas and the state machine). */
  logRetentionDays: z
    .int()
    .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), `one of ${LOG_RETENTION_DAYS.join(', ')}`),
  /** Per-function memory, timeout and bundle directory; each function falls back to {@link DEFAULT_FUNCTION_SETTINGS}. */
  functions: z.strictObject(functionsShape).default(() => ({ ...DEFAULT_FUNCTION_SETTINGS })),
  review: ReviewSettingsSchema,
  stateMachine: z
    .strictObject({
      /**
       * Whether execution logs carry state input and output. Off by default: the saga's data holds
       * the customer's name and address.
       */
      includeExecutionData: z.boolean().default(false),
    })
    .default({ includeExecutionData: false }),
  /** DynamoDB deletion protection (on in production). */
  deletionProtection: z.boolean().default(false),
  /** Tags on every resource (merged with `project` and `environment`). */
  tags: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
}).superRefine((config, ctx) => {
  // The extension layer must exist in the stack's region (a function can only use layers of its region).
  try {
    secretsExtensionLayerArn(config.region, config.secretsExtension);
  } catch (error) {
    ctx.addIssue({ code: 'custom', path: ['secretsExtension'], message: (error as Error).message });
  }
});
/** What `environments.ts` writes (defaults optional). */
export type EnvironmentConfigInput = z.input<typeof EnvironmentConfigSchema>;
/** A parsed environment: every default filled in. */
export type EnvironmentConfig = z.output<typeof EnvironmentConfigSchema>;

/** Parses an environment, throwing one error that lists every problem. */
export function parseEnvironmentConfig(input: EnvironmentConfigInput): EnvironmentConfig {
  const result = EnvironmentConfigSchema.safeParse(input);
  if (!result.success) {
    const name = typeof input?.stackName === 'string' ? input.stackName : '?';
    throw new Error(`Invalid configuration for stack '${name}':\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

// ------------------------------------------------------------------------------------ backend

/**
 * Where Terraform keeps its state. `local` (the default) writes
 * `stacks/fulfilment/terraform-state/<stack>.tfstate`, referenced by a path relative to the stack's
 * working directory; `s3` is for CI and shared use, with locking by an S3 lock file
 * (`use_lockfile`, Terraform >= 1.10) or, when `lockTable` is set, a DynamoDB table.
 */
export const BackendConfigSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('local') }),
  z.strictObject({
    type: z.literal('s3'),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name'),
    region: z.string().regex(/^[a-z]{2}(?:-[a-z]+)+-\d$/, 'an AWS region'),
    /** The state of stack `<s>` is `<keyPrefix>/<s>.tfstate`. */
    keyPrefix: z.string().regex(/^[A-Za-z0-9!_.*'()/-]{1,200}$/).default('order-fulfilment'),
    /** A DynamoDB table (hash key `LockID`) for locking instead of the S3 lock file. */
    lockTable: z.string().min(3).max(255).optional(),
  }),
]);
export type BackendConfig = z.output<typeof BackendConfigSchema>;

/** The environment variables the backend is read from (CI sets them; nothing set means local). */
export const BACKEND_ENV = {
  type: 'SAGA_STATE_BACKEND',
  bucket: 'SAGA_STATE_BUCKET',
  region: 'SAGA_STATE_REGION',
  keyPrefix: 'SAGA_STATE_KEY_PREFIX',
  lockTable: 'SAGA_STATE_LOCK_TABLE',
} as const;

/**
 * Reads the backend from the environment: `SAGA_STATE_BACKEND=s3` with `SAGA_STATE_BUCKET`,
 * `SAGA_STATE_REGION`, optionally `SAGA_STATE_KEY_PREFIX` and `SAGA_STATE_LOCK_TABLE`.
 */
export function backendConfigFromEnv(env: Readonly<Record<string, string | undefined>>): BackendConfig {
  const type = env[BACKEND_ENV.type] ?? 'local';
  const raw =
    type === 's3'
      ? {
          type,
          bucket: env[BACKEND_ENV.bucket],
          region: env[BACKEND_ENV.region],
          ...(env[BACKEND_ENV.keyPrefix] ? { keyPrefix: env[BACKEND_ENV.keyPrefix] } : {}),
          ...(env[BACKEND_ENV.lockTable] ? { lockTable: env[BACKEND_ENV.lockTable] } : {}),
        }
      : { type };
  const result = BackendConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new Error(
      `Invalid Terraform backend settings (${Object.values(BACKEND_ENV).join(', ')}):\n${z.prettifyError(result.error)}`,
    );
  }
  return result.data;
}
