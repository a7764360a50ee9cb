import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validate } from '../src/validate/index.js';

/**
 * validate() must return (never throw) on any input and never mutate it. Inputs: random JSON
 * values, and the fixtures mutated at random (fields deleted, replaced with values of other types,
 * extra fields, shuffled transitions, deep junk). A seeded PRNG keeps failures reproducible.
 */

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

function loadFixtures(): unknown[] {
  const out: unknown[] = [];
  for (const dir of ['valid', 'invalid']) {
    for (const f of readdirSync(`${FIXTURES}${dir}`)) {
      if (!f.endsWith('.json') || f.endsWith('.expect.json')) continue;
      try {
        out.push(JSON.parse(readFileSync(`${FIXTURES}${dir}/${f}`, 'utf8')));
      } catch {
        // not-json.json
      }
    }
  }
  return out;
}

/** mulberry32 */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  'StartAt', 'States', 'Type', 'Next', 'End', 'Task', 'Pass', 'Choice', 'Map', 'Parallel', 'Wait', 'Fail', 'Succeed',
  'Resource', 'Branches', 'ItemProcessor', 'Choices', 'Default', 'Retry', 'Catch', 'ErrorEquals', 'States.ALL',
  'QueryLanguage', 'JSONata', 'JSONPath', 'Parameters', 'a.$', '$', '$$', '$.x', '$$.Task.Token', '{%', '%}',
  '{% $states.input %}', '{% phone %}', '{% 1 + %}', 'States.Format(', "States.Format('{}', $.a)", 'arn:aws:states:::lambda:invoke',
  '${aws_lambda_function.x.arn}', '__proto__', 'constructor', '', ' ', '\u0000', '😀',
];

function randomValue(rnd: () => number, depth: number): unknown {
  const pick = rnd();
  if (depth > 4 || pick < 0.3) {
    const r = rnd();
    if (r < 0.35) return WORDS[Math.floor(rnd() * WORDS.length)];
    if (r < 0.55) return Math.floor(rnd() * 2e8) - 1e8;
    if (r < 0.65) return rnd() * 10 - 5;
    if (r < 0.75) return rnd() < 0.5;
    if (r < 0.85) return null;
    return [Number.NaN, Infinity, -0, 1e308][Math.floor(rnd() * 4)];
  }
  if (pick < 0.6) {
    const n = Math.floor(rnd() * 4);
    return Array.from({ length: n }, () => randomValue(rnd, depth + 1));
  }
  const obj: Record<string, unknown> = {};
  const n = Math.floor(rnd() * 5);
  for (let i = 0; i < n; i++) obj[WORDS[Math.floor(rnd() * WORDS.length)]!] = randomValue(rnd, depth + 1);
  return obj;
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** Applies 1..4 random mutations somewhere inside `root`. */
function mutate(root: unknown, rnd: () => number): unknown {
  const copy = clone(root);
  const count = 1 + Math.floor(rnd() * 4);
  for (let m = 0; m < count; m++) {
    // Walk down a random path.
    let node: unknown = copy;
    for (let d = 0; d < 6 && node !== null && typeof node === 'object'; d++) {
      const keys = Object.keys(node as object);
      if (keys.length === 0 || rnd() < 0.25) break;
      const next = (node as Record<string, unknown>)[keys[Math.floor(rnd() * keys.length)]!];
      if (next === null || typeof next !== 'object') break;
      node = next;
    }
    if (node === null || typeof node !== 'object') continue;
    const target = node as Record<string, unknown>;
    const keys = Object.keys(target);
    const key = keys.length > 0 ? keys[Math.floor(rnd() * keys.length)]! : 'x';
    const op = rnd();
    if (op < 0.3) delete target[key];
    else if (op < 0.7) target[key] = randomValue(rnd, 2);
    else if (op < 0.85) target[WORDS[Math.floor(rnd() * WORDS.length)]!] = randomValue(rnd, 1);
    else if (op < 0.95) target[key] = target;
    else target[key] = Array.isArray(target) ? {} : [];
  }
  return copy;
}

function deepFreeze(value: unknown, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  for (const child of Object.values(value)) deepFreeze(child, seen);
  Object.freeze(value);
}

function snapshot(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'undefined';
  } catch {
    return 'cyclic';
  }
}

describe('validate() on random and mutated inputs', () => {
  const fixtures = loadFixtures();
  const rnd = prng(20_241_122);
  const inputs: unknown[] = [];
  for (let i = 0; i < 100; i++) inputs.push(randomValue(rnd, 0));
  for (let i = 0; i < 250; i++) inputs.push(mutate(fixtures[Math.floor(rnd() * fixtures.length)], rnd));
  for (let i = 0; i < 50; i++) {
    const text = snapshot(mutate(fixtures[Math.floor(rnd() * fixtures.length)], rnd));
    const cut = Math.floor(rnd() * text.length);
    inputs.push(rnd() < 0.5 ? text.slice(0, cut) : text);
  }

  it(`returns a well-formed result for ${inputs.length} inputs without throwing or mutating them`, () => {
    expect(inputs.length).toBeGreaterThanOrEqual(200);
    for (const [i, input] of inputs.entries()) {
      const before = snapshot(input);
      deepFreeze(input);
      let result: ReturnType<typeof validate> | undefined;
      expect(() => {
        result = validate(input);
      }, `input #${i}: ${before.slice(0, 200)}`).not.toThrow();
      expect(snapshot(input)).toBe(before);
      expect(result!.result).toBe(result!.diagnostics.some((d) => d.severity === 'ERROR') ? 'FAIL' : 'OK');
      for (const d of result!.diagnostics) {
        expect(d.message, `input #${i}`).not.toMatch(/internal error/);
        expect(typeof d.location).toBe('string');
        expect(d.message.length).toBeGreaterThan(0);
      }
    }
  });

  it('is deterministic', () => {
    for (const input of inputs.slice(0, 50)) expect(validate(input)).toEqual(validate(input));
  });
});
