import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * An append-only JSON-lines journal in a data folder (`<dir>/journal.jsonl`).
 *
 * Each line is one JSON object with a `t` (type) member. Writes come in two strengths:
 * - durable: the buffer and the line are written (`writeSync`) before the call returns, so an
 *   acknowledged request survives a crash of the process (and, with `fsync: true`, of the
 *   machine);
 * - buffered: the line joins an in-memory buffer written out by the next durable write, by
 *   `flush()`, after `flushIntervalMs`, or when `maxBufferBytes` are waiting.
 * Order is preserved in both cases: a durable write carries every buffered line before it.
 *
 * On open the file is read back; a torn last line (a crash mid-write) is cut off and ignored.
 */

export interface JournalLine {
  t: string;
  [member: string]: unknown;
}

export interface JournalOptions {
  /** The data folder (created if missing). */
  dir: string;
  /** @default 'journal.jsonl' */
  fileName?: string;
  /** `fsync` after durable writes (survive power loss, not only a crash of the process). @default false */
  fsync?: boolean;
  /** Buffered lines are written at least this often. @default 20 */
  flushIntervalMs?: number;
  /** ...or as soon as this many bytes are waiting. @default 262144 */
  maxBufferBytes?: number;
}

/** A record of another component (the outbox layer's SQS/SNS/EventBridge messages, ...). */
export interface OpaqueRecordLine extends JournalLine {
  t: 'rec';
  kind: string;
  r: unknown;
}

export class Journal {
  readonly path: string;
  /** Lines found on open, in order (the torn tail and unreadable lines left out). */
  private replay: JournalLine[];
  /** Lines on open that could not be parsed (a torn tail counts as one). */
  readonly skippedLines: number;

  private fd: number | undefined;
  private buffer: string[] = [];
  private bufferBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly fsyncOnDurable: boolean;
  private readonly flushIntervalMs: number;
  private readonly maxBufferBytes: number;
  private writeError: unknown;

  private constructor(file: string, options: JournalOptions, replay: JournalLine[], skipped: number) {
    this.path = file;
    this.replay = replay;
    this.skippedLines = skipped;
    this.fsyncOnDurable = options.fsync ?? false;
    this.flushIntervalMs = options.flushIntervalMs ?? 20;
    this.maxBufferBytes = options.maxBufferBytes ?? 262_144;
    this.fd = fs.openSync(file, 'a');
  }

  /** Opens (or creates) the journal in `options.dir` and reads it back. */
  static open(options: JournalOptions): Journal {
    fs.mkdirSync(options.dir, { recursive: true });
    const file = path.join(options.dir, options.fileName ?? 'journal.jsonl');
    const { lines, skipped } = readJournal(file);
    return new Journal(file, options, lines, skipped);
  }

  /** The lines read on open. */
  get replayed(): readonly JournalLine[] {
    return this.replay;
  }

  /** The opaque records of `kind` read on open, in order. */
  records(kind: string): unknown[] {
    return this.replay.filter((l): l is OpaqueRecordLine => l.t === 'rec' && l.kind === kind).map((l) => l.r);
  }

  /** Appends an opaque record of another component; `durable` writes it before returning. */
  append(kind: string, record: unknown, options?: { durable?: boolean }): void {
    this.write({ t: 'rec', kind, r: record }, options?.durable ? 'durable' : 'buffered');
  }

  /** Appends one line. Lines written after `close()` are dropped. */
  write(line: JournalLine, mode: 'buffered' | 'durable' = 'buffered'): void {
    if (this.fd === undefined) return;
    const text = JSON.stringify(line) + '\n';
    this.buffer.push(text);
    this.bufferBytes += text.length;
    if (mode === 'durable') this.flush(true);
    else if (this.bufferBytes >= this.maxBufferBytes) this.flush(false);
    else this.schedule();
  }

  /** Writes every buffered line now; `durable` also fsyncs when the journal was opened with `fsync`. */
  flush(durable = true): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.fd === undefined) return;
    if (this.buffer.length > 0) {
      const chunk = this.buffer.length === 1 ? this.buffer[0]! : this.buffer.join('');
      this.buffer = [];
      this.bufferBytes = 0;
      writeAll(this.fd, chunk);
    }
    if (durable && this.fsyncOnDurable) fs.fdatasyncSync(this.fd);
  }

  /**
   * Replaces the whole journal with `lines` (compaction): written to a temporary file, synced,
   * then renamed over the journal.
   */
  rewrite(lines: Iterable<JournalLine>): void {
    if (this.fd === undefined) throw new Error('journal is closed');
    this.flush(false);
    const tmp = `${this.path}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      let chunk = '';
      for (const line of lines) {
        chunk += JSON.stringify(line) + '\n';
        if (chunk.length > 1 << 20) {
          writeAll(fd, chunk);
          chunk = '';
        }
      }
      if (chunk) writeAll(fd, chunk);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.closeSync(this.fd);
    fs.renameSync(tmp, this.path);
    this.fd = fs.openSync(this.path, 'a');
  }

  /** Frees the lines read on open once they have been replayed (opaque records stay readable). */
  releaseReplay(): void {
    this.replay = this.replay.filter((l) => l.t === 'rec');
  }

  get closed(): boolean {
    return this.fd === undefined;
  }

  /** Flushes, syncs and closes the file. */
  close(): void {
    if (this.fd === undefined) return;
    try {
      this.flush(false);
      fs.fsyncSync(this.fd);
    } finally {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.flush(false);
      } catch (e) {
        if (!this.writeError) {
          this.writeError = e;
          process.emitWarning(`sfn-local journal: write failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }, this.flushIntervalMs);
    this.timer.unref();
  }
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
}

/** Reads a journal file; a last line without its newline is torn: it is cut off the file. */
function readJournal(file: string): { lines: JournalLine[]; skipped: number } {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], skipped: 0 };
    throw e;
  }
  let skipped = 0;
  let end = data.length;
  if (end > 0 && data[end - 1] !== 0x0a) {
    end = data.lastIndexOf(0x0a) + 1;
    fs.truncateSync(file, end);
    skipped++;
  }
  const lines: JournalLine[] = [];
  let start = 0;
  while (start < end) {
    const nl = data.indexOf(0x0a, start);
    const text = data.toString('utf8', start, nl);
    start = nl + 1;
    if (text.trim() === '') continue;
    try {
      const line = JSON.parse(text) as unknown;
      if (line && typeof line === 'object' && typeof (line as JournalLine).t === 'string') lines.push(line as JournalLine);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { lines, skipped };
}
