/** Types of `mocks.mjs` (plain ESM, shared by ours-runner.ts and peer-runner.mjs). */
export type MockMode = 'happy' | 'permanent-failure' | 'gated';
export type MockHandler = (event: any, context?: any) => Promise<unknown>;
export interface CallRecord {
  fn: string;
  realMs: number;
  clockMs: number;
}
export interface Mocks {
  readonly handlers: Record<string, MockHandler>;
  readonly calls: Record<string, number>;
  readonly log: CallRecord[];
  readonly gated: number;
  release(): void;
}
export function createMocks(mode: MockMode): Mocks;
export function gapsOf(log: CallRecord[], fn: string): { clock: number[]; real: number[] };
export function peakRssMiB(): number;
export function rssMiB(): number;
export interface Stats {
  n: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}
export function stats(values: number[]): Stats;
export function emit(result: Record<string, unknown>): void;
export function until(predicate: () => boolean, timeoutMs?: number): Promise<boolean>;
