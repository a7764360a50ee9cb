import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';

/**
 * V8 keeps a script's source as one byte per character only if every character fits in Latin-1;
 * one arrow in a comment makes the whole module (or a bundle of the engine) two bytes per
 * character: twice the memory, slower scanning, and slower line-end computing when the first
 * stack trace (a Lambda error's `trace`) is formatted.
 */
const roots = ['../src', '../../asl/src'].map((r) => join(import.meta.dirname, r));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('source encoding', () => {
  test('the engine and @saga/asl sources are ASCII, so V8 stores them one byte per character', () => {
    const offenders = roots.flatMap((root) =>
      sources(root).flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .flatMap((line, i) => (/[^\x00-\x7f]/.test(line) ? [`${relative(root, file)}:${i + 1}: ${line.trim()}`] : [])),
      ),
    );
    expect(offenders).toEqual([]);
  });
});
