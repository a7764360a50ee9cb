/**
 * Walks a JSONPath state machine definition the way Step Functions routes it, for tests: Tasks
 * succeed unless the scenario makes them fail (after their retries), Catch, Choice (the subset of
 * rules the saga generates) and Assign are followed, Parallel branches run in order and a failing
 * branch (an error, or a Fail state) fails the Parallel. It records every state entered, branch
 * states included. A Pass state without `Result` passes its input on (`Parameters` are not applied).
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = Record<string, unknown>;

export interface WalkScenario {
  /** The error a state (by name; a branch state fails its Parallel) raises, on its first `times` entries (default: every entry). */
  failures?: Record<string, { error: string; times?: number }>;
  /**
   * What the JSONata Choice rules of a state (by name) evaluate to: the walk does not run JSONata.
   * @default true (the walk's input, `{ order: { orderId: 'ord-1' } }`, passes the input check)
   */
  jsonataConditions?: Record<string, boolean>;
  /** The `Payload` a Task (by name) returns, instead of `{ ok: <name> }`. */
  results?: Record<string, Json>;
  /** What each review returns, in order: an outcome, or an error (e.g. `States.Timeout`). */
  reviews?: ({ outcome: string } | { error: string })[];
  /** The state names of review tasks. @default ['WaitForHumanReview'] */
  reviewStates?: string[];
  maxSteps?: number;
}

export interface WalkResult {
  /** Every state entered, in order (branch states included). */
  path: string[];
  end: { type: 'Succeed' | 'Fail'; state: string; error?: string };
  variables: Record<string, Json>;
  data: Record<string, Json>;
}

export function walk(definition: Obj, scenario: WalkScenario = {}): WalkResult {
  const path: string[] = [];
  const entries = new Map<string, number>();
  const variables: Record<string, Json> = {};
  const reviewStates = scenario.reviewStates ?? ['WaitForHumanReview'];
  let reviewIndex = 0;
  let steps = 0;
  const max = scenario.maxSteps ?? 500;

  const failureOf = (name: string): string | undefined => {
    const f = scenario.failures?.[name];
    if (!f) return undefined;
    const n = entries.get(name) ?? 0;
    return f.times === undefined || n < f.times ? f.error : undefined;
  };

  /** Runs a States scope from StartAt; returns how it ended or the error it raised. */
  const run = (
    scope: Obj,
    data: Record<string, Json>,
  ): { kind: 'end'; end: WalkResult['end']; data: Record<string, Json> } | { kind: 'error'; error: string } => {
    const states = scope['States'] as Record<string, Obj>;
    let name = scope['StartAt'] as string;
    for (;;) {
      if (++steps > max) throw new Error(`walk exceeded ${max} steps: ${path.slice(-20).join(' → ')}`);
      const state = states[name];
      if (!state) throw new Error(`walked to unknown state ${name}`);
      path.push(name);
      const type = state['Type'] as string;

      let error: string | undefined;
      let result: Json | undefined;
      if (type === 'Succeed') return { kind: 'end', end: { type: 'Succeed', state: name }, data };
      if (type === 'Fail') return { kind: 'end', end: { type: 'Fail', state: name, error: state['Error'] as string }, data };
      if (type === 'Choice') {
        const rules = state['Choices'] as Obj[];
        const match = rules.find((rule) =>
          'Condition' in rule ? (scenario.jsonataConditions?.[name] ?? true) : evaluate(rule, data, variables),
        );
        const next = (match?.['Next'] ?? state['Default']) as string | undefined;
        if (next === undefined) return { kind: 'error', error: 'States.NoChoiceMatched' };
        name = next;
        continue;
      }
      if (type === 'Task') {
        if (reviewStates.includes(name)) {
          const review = scenario.reviews?.[reviewIndex++];
          if (!review) throw new Error(`no review scripted for review #${reviewIndex}`);
          if ('error' in review) error = review.error;
          else result = { outcome: review.outcome };
        } else {
          error = failureOf(name);
          result = { Payload: scenario.results?.[name] ?? { ok: name } };
        }
      } else if (type === 'Parallel') {
        for (const branch of state['Branches'] as Obj[]) {
          const outcome = run(branch, structuredClone(data));
          if (outcome.kind === 'error' || outcome.end.type === 'Fail') {
            error = outcome.kind === 'error' ? outcome.error : outcome.end.error!;
            break;
          }
        }
        result = [];
      } else if (type === 'Pass') {
        result = (state['Result'] as Json) ?? data;
      } else {
        throw new Error(`walk does not model ${type} states`);
      }
      entries.set(name, (entries.get(name) ?? 0) + 1);

      if (error !== undefined) {
        const catcher = ((state['Catch'] as Obj[] | undefined) ?? []).find((c) => matches(c['ErrorEquals'] as string[], error!));
        if (!catcher) return { kind: 'error', error };
        Object.assign(variables, (catcher['Assign'] as Record<string, Json> | undefined) ?? {});
        data = place(data, catcher['ResultPath'] as string | null | undefined, { Error: error, Cause: `${name} failed` });
        name = catcher['Next'] as string;
        continue;
      }
      data = place(data, state['ResultPath'] as string | null | undefined, result ?? null);
      if (state['End'] === true) return { kind: 'end', end: { type: 'Succeed', state: name }, data };
      name = state['Next'] as string;
    }
  };

  const outcome = run(definition, { order: { orderId: 'ord-1' } });
  if (outcome.kind === 'error') return { path, end: { type: 'Fail', state: path.at(-1)!, error: outcome.error }, variables, data: {} };
  return { path, end: outcome.end, variables, data: outcome.data };
}

function matches(errorEquals: string[], error: string): boolean {
  if (errorEquals.includes(error)) return true;
  if (errorEquals.includes('States.ALL')) return error !== 'States.Runtime';
  return errorEquals.includes('States.TaskFailed') && error !== 'States.Timeout' && !error.startsWith('States.');
}

function place(data: Record<string, Json>, resultPath: string | null | undefined, value: Json): Record<string, Json> {
  if (resultPath === null) return data;
  if (resultPath === undefined || resultPath === '$') return (value as Record<string, Json>) ?? {};
  const keys = resultPath.replace(/^\$\./, '').split('.');
  const copy = structuredClone(data);
  let node: Record<string, Json> = copy;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, Json>;
  node[keys.at(-1)!] = value;
  return copy;
}

function read(path: string, data: Record<string, Json>, variables: Record<string, Json>): Json | undefined {
  if (path.startsWith('$.')) {
    let node: Json | undefined = data;
    for (const key of path.slice(2).split('.')) node = node && typeof node === 'object' && !Array.isArray(node) ? node[key] : undefined;
    return node;
  }
  if (path.startsWith('$')) return variables[path.slice(1)];
  throw new Error(`walk cannot read ${path}`);
}

function evaluate(rule: Obj, data: Record<string, Json>, variables: Record<string, Json>): boolean {
  if ('And' in rule) return (rule['And'] as Obj[]).every((r) => evaluate(r, data, variables));
  if ('Or' in rule) return (rule['Or'] as Obj[]).some((r) => evaluate(r, data, variables));
  if ('Not' in rule) return !evaluate(rule['Not'] as Obj, data, variables);
  const value = read(rule['Variable'] as string, data, variables);
  if ('IsString' in rule) return (typeof value === 'string') === rule['IsString'];
  if ('IsPresent' in rule) return (value !== undefined) === rule['IsPresent'];
  if ('StringEquals' in rule) return value === rule['StringEquals'];
  throw new Error(`walk does not model the rule ${JSON.stringify(rule)}`);
}
