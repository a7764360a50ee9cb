/**
 * The log calls a use case makes (the Powertools `Logger` satisfies it). Attributes are ids, names,
 * counts and outcomes: never personal data, never the message of a foreign error.
 */
export interface StepLogger {
  debug(message: string, ...attributes: Array<Record<string, unknown>>): void;
  info(message: string, ...attributes: Array<Record<string, unknown>>): void;
  warn(message: string, ...attributes: Array<Record<string, unknown>>): void;
  error(message: string, ...attributes: Array<Record<string, unknown>>): void;
}

/** A logger that drops everything (the default of the use cases, for tests and the local engine). */
export const silentLogger: StepLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** A log call kept by {@link recordingLogger}: the attribute objects merged, as Powertools prints them. */
export interface RecordedLog {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly attributes: Record<string, unknown>;
}

/** A {@link StepLogger} that keeps every call, and the Lambda contexts it was given (for tests). */
export interface RecordingLogger extends StepLogger {
  readonly entries: RecordedLog[];
  readonly contexts: unknown[];
  addContext(context: unknown): void;
}

/** A logger that records what it is given, for assertions (`entries`, `contexts`). */
export function recordingLogger(): RecordingLogger {
  const entries: RecordedLog[] = [];
  const contexts: unknown[] = [];
  const at =
    (level: RecordedLog['level']) =>
    (message: string, ...attributes: Array<Record<string, unknown>>): void => {
      entries.push({ level, message, attributes: Object.assign({}, ...attributes) as Record<string, unknown> });
    };
  return {
    entries,
    contexts,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    addContext: (context) => {
      contexts.push(context);
    },
  };
}
