import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Journal } from '../../src/store/journal.js';
import { eventually, tempDir } from './support.js';

let data: ReturnType<typeof tempDir>;
let file: string;
beforeEach(() => {
  data = tempDir();
  file = path.join(data.dir, 'journal.jsonl');
});
afterEach(() => {
  data.remove();
});

const onDisk = () =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { t: string; n?: number });

describe('Journal', () => {
  it('writes a durable line before returning, carrying the buffered lines before it in order', () => {
    const j = Journal.open({ dir: data.dir, flushIntervalMs: 60_000 });
    j.write({ t: 'ev', n: 1 });
    j.write({ t: 'ev', n: 2 });
    expect(onDisk()).toEqual([]);
    j.write({ t: 'ack', n: 3 }, 'durable');
    expect(onDisk().map((l) => l.n)).toEqual([1, 2, 3]);
    j.close();
  });

  it('flushes buffered lines after the flush interval and on close', async () => {
    const j = Journal.open({ dir: data.dir, flushIntervalMs: 5 });
    j.write({ t: 'ev', n: 1 });
    await eventually(() => onDisk().length === 1);
    j.write({ t: 'ev', n: 2 });
    j.close();
    expect(onDisk().map((l) => l.n)).toEqual([1, 2]);
    j.write({ t: 'ev', n: 3 }, 'durable');
    expect(onDisk()).toHaveLength(2);
  });

  it('flushes when the buffer grows past maxBufferBytes', () => {
    const j = Journal.open({ dir: data.dir, flushIntervalMs: 60_000, maxBufferBytes: 100 });
    for (let n = 0; n < 10; n++) j.write({ t: 'ev', n, pad: 'x'.repeat(20) });
    expect(onDisk().length).toBeGreaterThan(0);
    j.close();
  });

  it('reads the journal back on open, cutting a torn last line off the file', () => {
    writeFileSync(file, '{"t":"a","n":1}\n{"t":"b","n":2}\n{"t":"c","n');
    const j = Journal.open({ dir: data.dir });
    expect(j.replayed.map((l) => l.t)).toEqual(['a', 'b']);
    expect(j.skippedLines).toBe(1);
    j.write({ t: 'd' }, 'durable');
    j.close();
    expect(readFileSync(file, 'utf8')).toBe('{"t":"a","n":1}\n{"t":"b","n":2}\n{"t":"d"}\n');
  });

  it('skips unreadable lines in the middle', () => {
    writeFileSync(file, '{"t":"a"}\ngarbage\n{"no":"type"}\n\n{"t":"b"}\n');
    const j = Journal.open({ dir: data.dir });
    expect(j.replayed.map((l) => l.t)).toEqual(['a', 'b']);
    expect(j.skippedLines).toBe(2);
    j.close();
  });

  it('keeps opaque records of other components by kind', () => {
    const j = Journal.open({ dir: data.dir });
    j.append('outbox', { kind: 'sqs', target: 'q', record: { Body: '1' } });
    j.append('other', { x: 1 }, { durable: true });
    j.append('outbox', { kind: 'sqs', target: 'q', record: { Body: '2' } }, { durable: true });
    j.close();
    const again = Journal.open({ dir: data.dir });
    expect(again.records('outbox')).toEqual([
      { kind: 'sqs', target: 'q', record: { Body: '1' } },
      { kind: 'sqs', target: 'q', record: { Body: '2' } },
    ]);
    expect(again.records('other')).toEqual([{ x: 1 }]);
    again.close();
  });

  it('rewrites itself atomically (compaction) and keeps appending after', () => {
    const j = Journal.open({ dir: data.dir });
    for (let n = 0; n < 5; n++) j.write({ t: 'ev', n }, 'durable');
    j.rewrite([{ t: 'snapshot', n: 99 }]);
    j.write({ t: 'ev', n: 100 }, 'durable');
    j.close();
    expect(onDisk()).toEqual([
      { t: 'snapshot', n: 99 },
      { t: 'ev', n: 100 },
    ]);
  });

  it('syncs durable writes to the device with fsync: true', () => {
    const j = Journal.open({ dir: data.dir, fsync: true });
    j.write({ t: 'ack' }, 'durable');
    expect(onDisk()).toEqual([{ t: 'ack' }]);
    j.close();
  });
});
