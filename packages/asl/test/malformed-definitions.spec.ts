import { describe, expect, it } from 'vitest';
import { buildFulfilmentSaga } from '../examples/fulfilment-saga.js';
import type { DiagnosticCode } from '../src/validate/diagnostic.js';
import { validate } from '../src/validate/index.js';

/**
 * Issue #7, bad input: malformed definitions get diagnostics. A seeded corpus of mutations of the
 * fulfilment saga (`examples/fulfilment-saga.ts`, sequential and parallel compensation): required
 * fields deleted, wrong types and ranges, dangling transitions, bad JSONPath, bad intrinsics, cycles
 * without a terminal state, bad names, deep nesting, huge definitions, JSON text cut anywhere or not
 * JSON at all, plus random mutations. validate() must return (never throw, never mutate), every
 * diagnostic must have a known code, a message and a location that points into the definition, and
 * each targeted mutation must be refused with the code its rule has.
 *
 * The same kind of corpus goes through the engine's CreateStateMachine in
 * packages/sfn-local/test/api/malformed-definitions.spec.ts (this package cannot depend on the engine).
 */

const SEED = 7_0707;

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

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const CODES: readonly DiagnosticCode[] = [
  'INVALID_JSON_DESCRIPTION',
  'SCHEMA_VALIDATION_FAILED',
  'MISSING_TRANSITION_TARGET',
  'MISSING_END_STATE',
  'DUPLICATE_STATE_NAME',
  'INVALID_STATE_NAME',
  'TOO_DEEPLY_NESTED',
  'INVALID_RESOURCE',
  'INVALID_JSONATA_EXPRESSION',
  'UNSUPPORTED_JSONATA_EXPRESSION',
  'NO_DOLLAR',
  'PASS_RESULT_IS_STATIC',
  'CALLBACK_WITHOUT_TOKEN',
];

interface Input {
  kind: string;
  definition: unknown;
  /** The code at least one ERROR must have; undefined: any result is acceptable, if well formed. */
  expect?: DiagnosticCode;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every `{StartAt, States}` scope of a definition (the machine, Parallel branches, Map processors). */
function scopes(def: Obj): Obj[] {
  const out: Obj[] = [def];
  for (let i = 0; i < out.length; i++) {
    const states = out[i]!['States'];
    if (!isObj(states)) continue;
    for (const state of Object.values(states)) {
      if (!isObj(state)) continue;
      if (Array.isArray(state['Branches'])) for (const b of state['Branches']) if (isObj(b)) out.push(b);
      for (const key of ['ItemProcessor', 'Iterator']) if (isObj(state[key])) out.push(state[key]);
    }
  }
  return out;
}

/** Every state of every scope, with its scope. */
function states(def: Obj): { scope: Obj; name: string; state: Obj }[] {
  return scopes(def).flatMap((scope) =>
    Object.entries(isObj(scope['States']) ? scope['States'] : {}).flatMap(([name, state]) => (isObj(state) ? [{ scope, name, state }] : [])),
  );
}

/** Every object node under `root` with the key `key`. */
function nodesWith(root: Json, key: string): Obj[] {
  const out: Obj[] = [];
  const stack: Json[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Array.isArray(node)) stack.push(...node);
    else if (isObj(node)) {
      if (key in node) out.push(node);
      stack.push(...Object.values(node));
    }
  }
  return out;
}

function nested(depth: number): Json {
  let v: Json = 'x';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

const WORDS: Json[] = ['', ' ', 'x', '$', '$$', '$.x', 'States.ALL', 'Task', 'Pass', 'Next', 'End', '{% 1 %}', '__proto__', '😀', '\u0000'];

function randomValue(rnd: () => number, depth = 0): Json {
  const r = rnd();
  if (depth > 3 || r < 0.4) {
    const s = rnd();
    if (s < 0.3) return WORDS[Math.floor(rnd() * WORDS.length)]!;
    if (s < 0.5) return Math.floor(rnd() * 2e6) - 1e6;
    if (s < 0.6) return rnd() * 10 - 5;
    if (s < 0.75) return rnd() < 0.5;
    return null;
  }
  if (r < 0.7) return Array.from({ length: Math.floor(rnd() * 3) }, () => randomValue(rnd, depth + 1));
  const o: Obj = {};
  for (let i = Math.floor(rnd() * 3); i > 0; i--) o[String(WORDS[Math.floor(rnd() * WORDS.length)])] = randomValue(rnd, depth + 1);
  return o;
}

/** The corpus, reproducible from the seed. */
function corpus(seed: number): Input[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const bases = [buildFulfilmentSaga('sequential').definition, buildFulfilmentSaga('parallel').definition].map((d) => clone(d) as unknown as Obj);
  const inputs: Input[] = [];
  const targeted = (kind: string, expect: DiagnosticCode, edit: (def: Obj) => boolean) => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const def = clone(pick(bases));
      if (edit(def)) return void inputs.push({ kind, definition: def, expect });
    }
    throw new Error(`no place found for the mutation ${kind}`);
  };
  const someState = (def: Obj, where: (s: Obj, name: string) => boolean = () => true) => {
    const found = states(def).filter((s) => where(s.state, s.name));
    return found.length > 0 ? pick(found) : undefined;
  };

  for (let round = 0; round < 8; round++) {
    // Required fields deleted.
    targeted('delete StartAt', 'SCHEMA_VALIDATION_FAILED', (d) => delete d['StartAt']);
    targeted('delete States', 'SCHEMA_VALIDATION_FAILED', (d) => delete d['States']);
    targeted('delete a Type', 'SCHEMA_VALIDATION_FAILED', (d) => delete someState(d)!.state['Type']);
    targeted('delete a Task Resource', 'SCHEMA_VALIDATION_FAILED', (d) => delete someState(d, (s) => s['Type'] === 'Task')!.state['Resource']);
    targeted('delete a Next', 'SCHEMA_VALIDATION_FAILED', (d) => {
      const s = someState(d, (st) => typeof st['Next'] === 'string' && st['Type'] !== 'Choice');
      return s !== undefined && delete s.state['Next'];
    });
    targeted('delete an ErrorEquals', 'SCHEMA_VALIDATION_FAILED', (d) => {
      const node = pick([...nodesWith(d, 'ErrorEquals')]);
      return delete node['ErrorEquals'];
    });
    targeted('delete a Catch Next', 'SCHEMA_VALIDATION_FAILED', (d) => {
      const catchers = states(d).flatMap((s) => (Array.isArray(s.state['Catch']) ? (s.state['Catch'] as Obj[]) : []));
      return catchers.length > 0 && delete pick(catchers)['Next'];
    });
    targeted('delete the Choices', 'SCHEMA_VALIDATION_FAILED', (d) => {
      const s = someState(d, (st) => st['Type'] === 'Choice');
      return s !== undefined && delete s.state['Choices'];
    });
    targeted('delete the Branches', 'SCHEMA_VALIDATION_FAILED', (d) => {
      const s = someState(d, (st) => st['Type'] === 'Parallel');
      return s !== undefined && delete s.state['Branches'];
    });
    targeted('empty ErrorEquals', 'SCHEMA_VALIDATION_FAILED', (d) => {
      pick(nodesWith(d, 'ErrorEquals'))['ErrorEquals'] = [];
      return true;
    });

    // Wrong types and ranges.
    const badValues: [string, Json[]][] = [
      ['TimeoutSeconds', ['30', -1, 0, 1.5, true, 100_000_000, null]],
      ['HeartbeatSeconds', ['60', -5, 0, 2.5]],
      ['MaxAttempts', ['3', -1, 1.5, 100_000_000]],
      ['IntervalSeconds', [0, -2, '2', 100_000_000]],
      ['BackoffRate', [0.5, '2', -1, true]],
      ['MaxDelaySeconds', [0, '30', -1]],
      ['JitterStrategy', ['HALF', 1, 'full']],
      ['ErrorEquals', ['PaymentDeclined', 5, {}, [1], [null]]],
      ['Type', ['Lambda', 5, '', 'task', null]],
      ['Next', [5, true, [], {}]],
      ['End', ['true', 1, false]],
      ['ResultPath', [5, true, [], {}]],
      ['Parameters', ['x', 5, []]],
      ['Retry', [{}, 'x', 5, [5]]],
      ['Catch', [{}, 'x', [null]]],
      ['Resource', [5, '', 'lambda', 'arn:aws:nope']],
      ['Comment', [5, [], {}]],
    ];
    for (const [field, values] of badValues) {
      targeted(`wrong ${field}`, field === 'Resource' ? 'INVALID_RESOURCE' : 'SCHEMA_VALIDATION_FAILED', (d) => {
        const nodes = nodesWith(d, field).filter((n) => field !== 'Type' || typeof n['Type'] === 'string');
        if (nodes.length === 0) return false;
        const value = pick(values);
        if (field === 'Resource' && typeof value !== 'string') return false;
        pick(nodes)[field] = value;
        return true;
      });
    }
    targeted('wrong StartAt type', 'SCHEMA_VALIDATION_FAILED', (d) => ((d['StartAt'] = pick([5, null, [], {}, true])), true));
    targeted('wrong States type', 'SCHEMA_VALIDATION_FAILED', (d) => ((d['States'] = pick([[], 'x', 5, null])), true));
    targeted('a state that is not an object', 'SCHEMA_VALIDATION_FAILED', (d) => {
      const s = someState(d)!;
      (s.scope['States'] as Obj)[s.name] = pick([null, 'Task', 5, []]);
      return true;
    });
    targeted('an unknown field', 'SCHEMA_VALIDATION_FAILED', (d) => ((someState(d)!.state[pick(['Foo', 'next', 'Timeout', 'Retries'])] = 1), true));
    targeted('a JSONata field in a JSONPath state', 'SCHEMA_VALIDATION_FAILED', (d) => ((someState(d, (s) => s['Type'] === 'Task')!.state['Output'] = '{% $states.input %}'), true));

    // Dangling transitions.
    targeted('dangling StartAt', 'MISSING_TRANSITION_TARGET', (d) => ((d['StartAt'] = `Nowhere${round}`), true));
    targeted('dangling Next', 'MISSING_TRANSITION_TARGET', (d) => {
      const s = someState(d, (st) => typeof st['Next'] === 'string');
      return s !== undefined && ((s.state['Next'] = pick(['Nowhere', 'chargepayment', 'ChargePayment ', ''])), true);
    });
    targeted('dangling Catch Next', 'MISSING_TRANSITION_TARGET', (d) => {
      const catchers = states(d).flatMap((s) => (Array.isArray(s.state['Catch']) ? (s.state['Catch'] as Obj[]) : []));
      return catchers.length > 0 && ((pick(catchers)['Next'] = 'Nowhere'), true);
    });
    targeted('dangling Choice target', 'MISSING_TRANSITION_TARGET', (d) => {
      const s = someState(d, (st) => st['Type'] === 'Choice');
      if (!s) return false;
      if (rnd() < 0.5 && 'Default' in s.state) s.state['Default'] = 'Nowhere';
      else pick(s.state['Choices'] as Obj[])['Next'] = 'Nowhere';
      return true;
    });
    targeted('an unreachable state', 'MISSING_TRANSITION_TARGET', (d) => (((d['States'] as Obj)[`Orphan${round}`] = { Type: 'Succeed' }), true));

    // Cycles without a terminal state: every terminal becomes a Pass back to the start.
    targeted('a cycle without a terminal state', 'MISSING_END_STATE', (d) => {
      const start = d['StartAt'] as string;
      for (const { scope, name, state } of states(d)) {
        if (scope !== d) continue;
        if (state['Type'] === 'Succeed' || state['Type'] === 'Fail') (d['States'] as Obj)[name] = { Type: 'Pass', Next: start };
        else if (state['End'] === true) {
          delete state['End'];
          state['Next'] = start;
        }
      }
      return true;
    });

    // Bad JSONPath and intrinsics.
    targeted('a bad reference path', 'SCHEMA_VALIDATION_FAILED', (d) => {
      const s = someState(d, (st) => st['Type'] === 'Task' || st['Type'] === 'Pass')!;
      // Any path field: not a path at all. ResultPath (a Reference Path) also: no `..`, filters, wildcards.
      if (rnd() < 0.5) s.state[pick(['InputPath', 'OutputPath', 'ResultPath'])] = pick(['no-dollar', '$.', '$[', '$.a[', '$.a b', '']);
      else s.state['ResultPath'] = pick(['$..a', '$.a[?(@.b)]', '$.*', '$.a[0:2]', '$.a[1,2]', '$$.Execution']);
      return true;
    });
    targeted('a bad path in a payload template', 'SCHEMA_VALIDATION_FAILED', (d) => {
      const params = states(d).flatMap((s) => (isObj(s.state['Parameters']) ? [s.state['Parameters']] : []));
      pick(params)[`field${round}.$`] = pick(['not a path', '$.', '$[', '$$.', '$.a[?(', 'order']);
      return true;
    });
    targeted('a bad intrinsic', 'SCHEMA_VALIDATION_FAILED', (d) => {
      const params = states(d).flatMap((s) => (isObj(s.state['Parameters']) ? [s.state['Parameters']] : []));
      pick(params)[`field${round}.$`] = pick([
        "States.Format('{}'",
        'States.Nope($)',
        'States.Format()',
        'States.JsonToString($.a, $.b)',
        'States.ArrayGetItem($.a)',
        "States.Format('{}', $.a",
        "States.Format('{}', 'unterminated)",
        'States.UUID(1)',
        'States.',
      ]);
      return true;
    });
    targeted('a JSONata expression in a JSONPath field', 'SCHEMA_VALIDATION_FAILED', (d) => {
      const s = someState(d, (st) => st['Type'] === 'Task')!;
      s.state['ResultPath'] = '{% $states.result %}';
      return true;
    });

    // Names.
    targeted('a state name too long', 'INVALID_STATE_NAME', (d) => {
      const name = 'S'.repeat(81);
      (d['States'] as Obj)[name] = { Type: 'Succeed' };
      const s = someState(d, (st, n) => n !== name && typeof st['Next'] === 'string' && st['Type'] !== 'Choice');
      if (s) s.state['Next'] = name;
      return true;
    });
    targeted('an empty state name', 'INVALID_STATE_NAME', (d) => {
      (d['States'] as Obj)[''] = { Type: 'Succeed' };
      d['StartAt'] = '';
      return true;
    });
    targeted('a duplicate state name across scopes', 'DUPLICATE_STATE_NAME', (d) => {
      const branch = scopes(d).find((s) => s !== d);
      if (!branch) return false;
      const dup = pick(Object.keys(d['States'] as Obj));
      (branch['States'] as Obj)[dup] = { Type: 'Succeed' };
      return true;
    });

    // Nesting.
    targeted('a Result nested 300 deep', 'TOO_DEEPLY_NESTED', (d) => ((d['States'] as Obj)['ChargePayment'] = { Type: 'Pass', Result: nested(300), Next: 'ReserveStock' }, true));
    targeted('Parallel nested 25 deep', 'TOO_DEEPLY_NESTED', (d) => {
      let inner: Obj = { StartAt: 'Leaf', States: { Leaf: { Type: 'Succeed' } } };
      for (let i = 0; i < 25; i++) inner = { StartAt: `P${round}_${i}`, States: { [`P${round}_${i}`]: { Type: 'Parallel', Branches: [inner], End: true } } };
      (d['States'] as Obj)['ChargePayment'] = { Type: 'Parallel', Branches: [inner], Next: 'ReserveStock' };
      return true;
    });
  }

  // Huge definitions.
  const comment = clone(bases[0]!);
  comment['Comment'] = 'x'.repeat(1_100_000);
  inputs.push({ kind: 'a definition over 1 MB (Comment)', definition: comment, expect: 'SCHEMA_VALIDATION_FAILED' });
  inputs.push({ kind: 'a definition over 1 MB (Comment), as text', definition: JSON.stringify(comment), expect: 'SCHEMA_VALIDATION_FAILED' });
  const chain = (n: number): Obj => {
    const all: Obj = {};
    for (let i = 0; i < n; i++) all[`S${i}`] = i === n - 1 ? { Type: 'Succeed' } : { Type: 'Pass', Next: `S${i + 1}` };
    return { StartAt: 'S0', States: all };
  };
  inputs.push({ kind: 'a chain of 5000 states', definition: chain(5_000) });
  inputs.push({ kind: 'a chain of 40000 states (over 1 MB)', definition: JSON.stringify(chain(40_000)), expect: 'SCHEMA_VALIDATION_FAILED' });
  const many = clone(bases[1]!);
  for (let i = 0; i < 3_000; i++) (many['States'] as Obj)[`Dangling${i}`] = { Type: 'Pass', Next: `Missing${i}` };
  inputs.push({ kind: '3000 states with dangling targets', definition: many, expect: 'MISSING_TRANSITION_TARGET' });

  // Text that is not (a JSON object of) a definition.
  const text = JSON.stringify(bases[0]);
  for (let i = 0; i < 60; i++) {
    const cut = 1 + Math.floor(rnd() * (text.length - 2));
    inputs.push({ kind: 'JSON text cut short', definition: text.slice(0, cut), expect: 'INVALID_JSON_DESCRIPTION' });
  }
  for (const t of [text.replace('{', '{,'), `${text},`, `// comment\n${text}`, text.replace(/"/g, "'"), `\ufeff${text}`, text.replace('30', 'NaN'), 'StartAt: A\nStates: {}', '{"StartAt": "A", "States": {', '<xml/>']) {
    inputs.push({ kind: 'not JSON', definition: t, expect: 'INVALID_JSON_DESCRIPTION' });
  }
  for (const t of ['', '   ', 'null', '[]', '"definition"', '1', 'true', '[{"StartAt":"A"}]']) {
    inputs.push({ kind: 'JSON that is not an object', definition: t, expect: 'SCHEMA_VALIDATION_FAILED' });
  }
  inputs.push({ kind: 'a string that is not JSON', definition: 'x', expect: 'INVALID_JSON_DESCRIPTION' });
  for (const v of [null, undefined, 0, [], [bases[0]], new Date(0), () => 1, Symbol('s'), 10n]) {
    inputs.push({ kind: 'a value that is not an object', definition: v, expect: 'SCHEMA_VALIDATION_FAILED' });
  }
  const cyclic = clone(bases[0]!) as Obj & { self?: unknown };
  (cyclic as Record<string, unknown>)['self'] = cyclic;
  inputs.push({ kind: 'a cyclic object', definition: cyclic, expect: 'SCHEMA_VALIDATION_FAILED' });

  // Random mutations (any outcome, as long as it is well formed).
  for (let i = 0; i < 300; i++) {
    const def = clone(pick(bases));
    for (let m = 1 + Math.floor(rnd() * 3); m > 0; m--) {
      const candidates: Obj[] = [def, ...states(def).map((s) => s.state), ...nodesWith(def, 'ErrorEquals')];
      const target = rnd() < 0.2 ? def : pick(candidates);
      const keys = Object.keys(target);
      const key = keys.length > 0 && rnd() < 0.8 ? pick(keys) : String(pick(WORDS));
      const op = rnd();
      if (op < 0.35) delete target[key];
      else target[key] = randomValue(rnd);
    }
    inputs.push({ kind: 'random mutation', definition: def });
  }
  return inputs;
}

/** The node a location points at, or its parent when the pointed-at field is missing; undefined when neither exists. */
function resolve(root: unknown, location: string): unknown {
  if (location === '' || location === '/') return root;
  let node: unknown = root;
  const tokens = location
    .slice(1)
    .split('/')
    .flatMap((part) => {
      const m = /^(.*?)((?:\[\d+\])*)$/.exec(part)!;
      const indices = [...m[2]!.matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
      return [...(m[1] !== '' ? [m[1]!] : []), ...indices];
    });
  for (const [i, token] of tokens.entries()) {
    const next = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[token] : undefined;
    if (next === undefined) return i === tokens.length - 1 ? node : undefined;
    node = next;
  }
  return node;
}

function deepFreeze(value: unknown, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  for (const child of Object.values(value)) deepFreeze(child, seen);
  Object.freeze(value);
}

function snapshot(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return 'unserializable';
  }
}

describe('malformed definitions get diagnostics', () => {
  const inputs = corpus(SEED);

  it(`validate() on ${inputs.length} mutated and broken fulfilment definitions: no throw, no mutation, well-formed diagnostics, the expected code`, () => {
    const crashes: string[] = [];
    const mutated: string[] = [];
    const malformed: string[] = [];
    const missed: string[] = [];
    const unresolved: string[] = [];
    let failed = 0;
    for (const [i, input] of inputs.entries()) {
      const label = `#${i} ${input.kind}`;
      const before = snapshot(input.definition);
      deepFreeze(input.definition);
      let result: ReturnType<typeof validate>;
      try {
        result = validate(input.definition);
      } catch (e) {
        crashes.push(`${label}: threw ${String(e)}`);
        continue;
      }
      if (snapshot(input.definition) !== before) mutated.push(label);
      if (result.result !== (result.diagnostics.some((d) => d.severity === 'ERROR') ? 'FAIL' : 'OK')) malformed.push(`${label}: result ${result.result}`);
      if (result.result === 'FAIL') failed++;
      for (const d of result.diagnostics) {
        if (/internal error/i.test(d.message)) crashes.push(`${label}: ${d.message}`);
        if (!CODES.includes(d.code) || !['ERROR', 'WARNING'].includes(d.severity) || d.message.length === 0 || typeof d.location !== 'string') {
          malformed.push(`${label}: ${JSON.stringify(d)}`);
        }
        if (d.location !== '' && !d.location.startsWith('/')) malformed.push(`${label}: location ${d.location}`);
        if (typeof input.definition === 'object' && input.definition !== null && resolve(input.definition, d.location) === undefined) {
          unresolved.push(`${label}: ${d.code} at ${d.location}`);
        }
      }
      if (input.expect && !(result.result === 'FAIL' && result.diagnostics.some((d) => d.severity === 'ERROR' && d.code === input.expect))) {
        missed.push(`${label}: expected ${input.expect}, got ${result.result} ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
      }
    }
    const targeted = inputs.filter((x) => x.expect).length;
    console.log(
      `validate(): ${inputs.length} definitions tried (seed ${SEED}; ${targeted} targeted mutations with an expected code, ` +
        `${inputs.length - targeted} random or unconstrained), ${failed} FAIL, ${inputs.length - failed - crashes.length} OK, ` +
        `${crashes.length} crashes, ${mutated.length} inputs mutated, ${malformed.length} malformed diagnostics, ${unresolved.length} locations outside the definition, ${missed.length} missed rules`,
    );
    expect(inputs.length).toBeGreaterThanOrEqual(700);
    expect(crashes).toEqual([]);
    expect(mutated).toEqual([]);
    expect(malformed).toEqual([]);
    expect(unresolved).toEqual([]);
    expect(missed).toEqual([]);
  });

  it('the corpus is reproducible from its seed, and validate() is deterministic', () => {
    const again = corpus(SEED);
    expect(again.map((x) => snapshot(x.definition))).toEqual(inputs.map((x) => snapshot(x.definition)));
    for (const input of again.filter((_, i) => i % 7 === 0)) expect(validate(input.definition)).toEqual(validate(input.definition));
  });
});
