import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync, crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { lambdaPackage, zipFiles } from '../src/lambda-zip.js';

/** Reads a zip through its central directory (what Lambda's unzip does), checking every CRC. */
function unzip(zip: Buffer): { name: string; data: Buffer; mode: number }[] {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files: { name: string; data: Buffer; mode: number }[] = [];
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const crc = zip.readUInt32LE(at + 16);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const mode = zip.readUInt32LE(at + 38) >>> 16;
    const offset = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const local = offset + 30 + zip.readUInt16LE(offset + 26) + zip.readUInt16LE(offset + 28);
    const data = inflateRawSync(zip.subarray(local, local + size));
    expect(crc32(data)).toBe(crc);
    files.push({ name, data, mode });
    at += 46 + nameLength;
  }
  return files;
}

const made: string[] = [];
const out = mkdtempSync(join(tmpdir(), 'saga-zip-out-'));
made.push(out);
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function bundleDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'saga-zip-'));
  made.push(dir);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe('Lambda packages', () => {
  it('zip the handler and its source map, not esbuild\'s meta.json', () => {
    const dir = bundleDir({
      'handler.mjs': 'export const handler = async () => 42;\n'.repeat(100),
      'handler.mjs.map': '{"version":3}',
      'meta.json': '{"inputs":{}}',
    });
    const files = unzip(readFileSync(lambdaPackage(dir, out).file));
    expect(files.map((f) => f.name)).toEqual(['handler.mjs', 'handler.mjs.map']);
    expect(files[0]!.data.toString()).toBe(readFileSync(join(dir, 'handler.mjs'), 'utf8'));
    expect(files[0]!.mode).toBe(0o100644);
  });

  it('are reproducible: the same bundle gives the same bytes and hash, a changed one a new hash', () => {
    const a = bundleDir({ 'handler.mjs': 'export const handler = () => 1;' });
    const b = bundleDir({ 'handler.mjs': 'export const handler = () => 1;' });
    const c = bundleDir({ 'handler.mjs': 'export const handler = () => 2;' });
    expect(lambdaPackage(a, out)).toEqual(lambdaPackage(b, out));
    expect(lambdaPackage(c, out).sha256Base64).not.toBe(lambdaPackage(a, out).sha256Base64);
    expect(zipFiles([{ name: 'x', data: Buffer.from('y') }])).toEqual(zipFiles([{ name: 'x', data: Buffer.from('y') }]));
  });

  it('are readable by unzip when it is installed', async () => {
    const { spawnSync } = await import('node:child_process');
    const probe = spawnSync('unzip', ['-v']);
    if (probe.error) return; // unzip not installed: the central-directory reader above is the check
    const dir = bundleDir({ 'handler.mjs': 'export const handler = async () => "ok";' });
    const result = spawnSync('unzip', ['-t', lambdaPackage(dir, out).file], { encoding: 'utf8' });
    expect(result.stdout).toContain('No errors detected');
  });
});
