import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

/**
 * The Lambda deployment package of a bundle, zipped in process.
 *
 * Why not `TerraformAsset({ type: ARCHIVE })`: cdktf zips every ARCHIVE asset in a child Node
 * process (`spawnSync`), about 160 ms each; 7 functions × 2 stacks made synth 2+ s slower. This
 * writer is deterministic (fixed timestamps, sorted entries), so the same bundle always gives the
 * same zip and the same `source_code_hash`, and it packs only what the runtime loads (the handler
 * and its source map), not esbuild's `meta.json`.
 */

/** Files of a bundle directory that go into the package, when present. */
export const PACKAGE_FILES = ['handler.mjs', 'handler.mjs.map'] as const;

export interface LambdaPackage {
  /** The zip file (content-addressed, under `<outDir>`). */
  readonly file: string;
  /** `filebase64sha256` of the zip: what Lambda reports as CodeSha256, for `source_code_hash`. */
  readonly sha256Base64: string;
}

const cache = new Map<string, LambdaPackage>();

/**
 * Zips `<dir>/handler.mjs` (and its map) into `<outDir>/<sha256>.zip` (the stack passes
 * `<cdktf outdir>/.lambda-packages`, so packages go away with `cdktf.out`); memoised per process.
 */
export function lambdaPackage(dir: string, outDir: string): LambdaPackage {
  const entries = PACKAGE_FILES.filter((name) => existsSync(join(dir, name))).map((name) => ({
    name,
    data: readFileSync(join(dir, name)),
  }));
  const key = createHash('sha256');
  for (const e of entries) key.update(e.name).update('\0').update(e.data).update('\0');
  const contentKey = `${outDir}\0${key.digest('hex')}`;
  const cached = cache.get(contentKey);
  if (cached) return cached;

  const zip = zipFiles(entries);
  const sha256 = createHash('sha256').update(zip).digest();
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${sha256.toString('hex')}.zip`);
  if (!existsSync(file)) {
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, zip);
    renameSync(partial, file);
  }
  const result = { file, sha256Base64: sha256.toString('base64') };
  cache.set(contentKey, result);
  return result;
}

/** 1980-01-01 00:00 in MS-DOS format: every entry gets it, so zips are reproducible. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
/** Regular file, rw-r--r--, in the high half of the external attributes (made by Unix). */
const FILE_ATTRIBUTES = (0o100644 << 16) >>> 0;

/** A minimal zip writer (deflate, no zip64: a Lambda package is at most 50 MB zipped). */
export function zipFiles(files: readonly { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, data } of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, nameBytes, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, spec 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt16LE(0, 30); // extra
    central.writeUInt16LE(0, 32); // comment
    central.writeUInt16LE(0, 34); // disk
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(FILE_ATTRIBUTES, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, nameBytes);

    offset += local.length + nameBytes.length + compressed.length;
  }
  const centralSize = centrals.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4);
  end.writeUInt16LE(0, 6);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20);
  return Buffer.concat([...locals, ...centrals, end]);
}
