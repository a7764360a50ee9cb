/** The log calls the use case makes (Powertools `Logger` satisfies it). Never pass it personal data. */
export interface StepLogger {
  debug(message: string, ...attributes: Array<Record<string, unknown>>): void;
  info(message: string, ...attributes: Array<Record<string, unknown>>): void;
  warn(message: string, ...attributes: Array<Record<string, unknown>>): void;
  error(message: string, ...attributes: Array<Record<string, unknown>>): void;
}

/** A logger that drops everything (the default of the use case, for tests and the local engine). */
export const silentLogger: StepLogger = { debug() {}, info() {}, warn() {}, error() {} };
