import type { ChoiceState, JsonValue, NestedChoiceRule, State, StateMachineDefinition } from '../../src/index.js';

/**
 * Walks a JSONPath state machine definition the way the interpreter would route it, for tests:
 * Tasks succeed unless `failures` says otherwise, Catch and Choice are followed, variables set by
 * Assign are kept. Parallel branches are walked in order. It records every state entered.
 */
export interface WalkScenario {
  /** An error a Task (by state name) raises on its n-th entry (0-based), or on every entry with '*'. */
  failures?: Record<string, { error: string; times?: number }>;
  /** What the review task returns, one per review in order (`{ outcome }`), or an error name to raise. */
  reviews?: ({ outcome: string } | { error: string })[];
  maxSteps?: number;
}

export interface WalkResult {
  path: string[];
  end: { type: 'Succeed' | 'Fail'; state: string; error?: string };
  variables: Record<string, JsonValue>;
}

export function walk(definition: StateMachineDefinition, scenario: WalkScenario = {}): WalkResult {
  const path: string[] = [];
  const variables: Record<string, JsonValue> = {};
  const entries = new Map<string, number>();
  let reviewIndex = 0;
  let data: Record<string, JsonValue> = {};
  let name = definition.StartAt;
  const max = scenario.maxSteps ?? 200;

  const failureOf = (state: string): string | undefined => {
    const f = scenario.failures?.[state];
    if (!f) return undefined;
    const n = entries.get(state) ?? 0;
    return f.times === undefined || n < f.times ? f.error : undefined;
  };

  for (let steps = 0; steps < max; steps++) {
    const state: State | undefined = definition.States[name];
    if (!state) throw new Error(`walked to unknown state ${name}`);
    path.push(name);
    const entry = entries.get(name) ?? 0;
    switch (state.Type) {
      case 'Succeed':
        return { path, end: { type: 'Succeed', state: name }, variables };
      case 'Fail':
        return { path, end: { type: 'Fail', state: name, ...(state.Error ? { error: state.Error } : {}) }, variables };
      case 'Choice': {
        const rule = state.Choices.find((r) => matches(r as unknown as NestedChoiceRule, data, variables));
        const next = (rule as { Next?: string } | undefined)?.Next ?? (state as ChoiceState).Default;
        if (!next) throw new Error(`States.NoChoiceMatched at ${name}`);
        name = next;
        continue;
      }
      case 'Task':
      case 'Parallel': {
        let error: string | undefined;
        if (state.Type === 'Parallel') {
          for (const b of state.Branches) for (const inner of Object.keys(b.States)) {
            path.push(inner);
            error ??= failureOf(inner);
            entries.set(inner, (entries.get(inner) ?? 0) + 1);
          }
        } else if (state.Resource.endsWith('.waitForTaskToken') && scenario.reviews) {
          const review = scenario.reviews[reviewIndex++];
          if (!review) throw new Error(`no scripted review left at ${name}`);
          if ('error' in review) error = review.error;
          else data = { ...data, review: { outcome: review.outcome } };
        } else {
          error = failureOf(name);
        }
        entries.set(name, entry + 1);
        if (error) {
          // A failure that stops before the matching retrier runs out of attempts is absorbed.
          const retrier = (state.Retry ?? []).find((r) => (r.ErrorEquals as readonly string[]).includes(error!) || r.ErrorEquals[0] === 'States.ALL');
          const times = scenario.failures?.[name]?.times;
          if (retrier && times !== undefined && times - entry <= (retrier.MaxAttempts ?? 3)) {
            entries.set(name, times);
            error = undefined;
          }
        }
        if (error) {
          const catcher = (state.Catch ?? []).find((c) => (c.ErrorEquals as readonly string[]).includes(error!) || c.ErrorEquals[0] === 'States.ALL');
          if (!catcher) return { path, end: { type: 'Fail', state: name, error }, variables };
          for (const [k, v] of Object.entries(catcher.Assign ?? {})) variables[k] = v as JsonValue;
          data = { ...data, errorInfo: { Error: error, Cause: 'scripted' } };
          name = catcher.Next;
          continue;
        }
        if (state.End) return { path, end: { type: 'Succeed', state: name }, variables };
        name = state.Next!;
        continue;
      }
      default:
        if ('End' in state && state.End) return { path, end: { type: 'Succeed', state: name }, variables };
        name = (state as { Next: string }).Next;
    }
  }
  throw new Error(`no end after ${max} states: ${path.join(' > ')}`);
}

function lookup(path: string, data: Record<string, JsonValue>, variables: Record<string, JsonValue>): JsonValue | undefined {
  const [head, ...rest] = path.split('.');
  let value: JsonValue | undefined = head === '$' ? data : variables[head!.slice(1)];
  for (const key of rest) value = value && typeof value === 'object' && !Array.isArray(value) ? value[key] : undefined;
  return value;
}

function matches(rule: NestedChoiceRule, data: Record<string, JsonValue>, variables: Record<string, JsonValue>): boolean {
  if ('And' in rule && rule.And) return rule.And.every((r) => matches(r, data, variables));
  if ('Or' in rule && rule.Or) return rule.Or.some((r) => matches(r, data, variables));
  if ('Not' in rule && rule.Not) return !matches(rule.Not, data, variables);
  const r = rule as Record<string, unknown>;
  const value = lookup(String(r['Variable']), data, variables);
  if ('StringEquals' in r) return value === r['StringEquals'];
  if ('IsString' in r) return (typeof value === 'string') === r['IsString'];
  if ('IsPresent' in r) return (value !== undefined) === r['IsPresent'];
  throw new Error(`walker does not support rule ${JSON.stringify(rule)}`);
}
