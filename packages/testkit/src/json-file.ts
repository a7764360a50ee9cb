import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The data files of the stand-ins that keep state across restarts (the Stripe-wire server, the
 * carrier stub): written next to the file, then renamed over it, so a crash leaves the old or the
 * new content, never half of one.
 */
export function writeJsonFile(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value));
  renameSync(tmp, file);
}

/** The parsed file, or `undefined` when it does not exist yet. */
export function readJsonFile(file: string): unknown {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown) : undefined;
}
