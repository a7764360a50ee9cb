import type { StateType } from '../definition/states.js';
import type { GraphNode, Scope, StateCtx, Validator } from './context.js';
import {
  admitFields,
  checkFields,
  expectEnum,
  expectInteger,
  expectObject,
  expectString,
  isObject,
  keysOf,
  requireFields,
  table,
  type FieldTable,
  type JsonObject,
} from './fields.js';
import { checkProcessorConfig } from './map.js';
import { checkStateName } from './names.js';
import { QUERY_LANGUAGES, stateLanguage } from './query-language.js';
import { STATE_RULES, STATE_TYPES } from './states.js';
import { checkScopeGraph, missingTargetMessage } from './transitions.js';

/**
 * Structure: the machine, Parallel branches and Map processors are all `{StartAt, States}`
 * scopes, checked recursively. Each state is dispatched on its `Type` to the rules in states.ts;
 * state names are checked machine-wide; the transition graph is checked per scope.
 */

interface ScopeCheck {
  v: Validator;
  scope: Scope;
}

type ScopeFields = FieldTable<ScopeCheck>;

const SCOPE_BASE = {
  StartAt: {
    check: (x: unknown, loc: string, c: ScopeCheck) => {
      if (expectString(c.v, x, loc) && !c.scope.names.has(x)) c.v.error('MISSING_TRANSITION_TARGET', missingTargetMessage(x), loc);
    },
  },
  States: { check: (x: unknown, loc: string, c: ScopeCheck) => checkStates(c, x, loc) },
  Comment: { check: (x: unknown, loc: string, c: ScopeCheck) => expectString(c.v, x, loc) },
};

/** Top-level fields. */
export const machineFields: ScopeFields = table<ScopeCheck>({
  ...SCOPE_BASE,
  Version: { check: (x, loc, c) => expectString(c.v, x, loc) },
  TimeoutSeconds: { check: (x, loc, c) => expectInteger(c.v, x, loc, 0, 99_999_999) },
  QueryLanguage: { check: (x, loc, c) => expectEnum(c.v, x, loc, 'QueryLanguage', QUERY_LANGUAGES) },
});

/** Parallel branch fields. `QueryLanguage` is accepted (it does not change the inner default). */
export const branchFields: ScopeFields = table<ScopeCheck>({
  ...SCOPE_BASE,
  QueryLanguage: {
    check: (x, loc, c) => {
      if (expectEnum(c.v, x, loc, 'QueryLanguage', QUERY_LANGUAGES)) stateLanguage(c.v, x, c.scope.base);
    },
  },
});

/** Map ItemProcessor / Iterator fields (AWS rejects `QueryLanguage` here). */
export const processorFields: ScopeFields = table<ScopeCheck>({
  ...SCOPE_BASE,
  ProcessorConfig: { check: (x, loc, c) => checkProcessorConfig(c.v, x, loc) },
});

export interface ScopeOptions {
  depth: number;
  express: boolean;
  fields: ScopeFields;
}

/** Checks a `{StartAt, States}` block at `loc` ('' for the machine). */
export function checkScope(v: Validator, obj: unknown, loc: string, opts: ScopeOptions): void {
  if (!expectObject(v, obj, loc)) return;
  const states = obj.States;
  const names = new Set(isObject(states) ? keysOf(states) : []);
  const scope: Scope = { base: loc, names, nodes: new Map(), depth: opts.depth, express: opts.express };
  const c: ScopeCheck = { v, scope };
  const keys = admitFields(v, obj, loc, opts.fields, v.machineLanguage);
  requireFields(v, obj, loc, ['States', 'StartAt']);
  checkFields(obj, loc, opts.fields, keys, c);
  if (isObject(states)) checkScopeGraph(v, scope, typeof obj.StartAt === 'string' ? obj.StartAt : undefined);
}

function checkStates(c: ScopeCheck, states: unknown, loc: string): void {
  if (!expectObject(c.v, states, loc)) return;
  for (const name of keysOf(states)) checkState(c, states, name, `${loc}/${name}`);
}

const TYPE_MESSAGE = `The field 'Type' should have one of these values: [${STATE_TYPES.join(', ')}]`;

function checkState(c: ScopeCheck, states: JsonObject, name: string, loc: string): void {
  const { v, scope } = c;
  const node: GraphNode = { name, loc, edges: [], terminal: false, uncertain: false, dangling: false };
  scope.nodes.set(name, node);
  checkStateName(v, name, loc);
  const obj = states[name];
  if (!expectObject(v, obj, loc)) {
    node.uncertain = true;
    return;
  }
  const type = obj.Type;
  if (typeof type !== 'string' || !(STATE_TYPES as readonly string[]).includes(type)) {
    if (type === undefined) requireFields(v, obj, loc, ['Type']);
    else v.schema(TYPE_MESSAGE, `${loc}/Type`);
    node.uncertain = true;
    collectEdges(scope, obj, node);
    return;
  }
  const s: StateCtx = { v, scope, name, loc, type: type as StateType, ql: stateLanguage(v, obj.QueryLanguage, loc), node, obj };
  const rules = STATE_RULES[s.type];
  const keys = admitFields(v, obj, loc, rules.fields, s.ql);
  rules.before?.(s);
  checkFields(obj, loc, rules.fields, keys, s);
  rules.after?.(s);
}

/** Edges of a state whose Type is unknown, so its targets still count as reachable. */
function collectEdges(scope: Scope, obj: JsonObject, node: GraphNode): void {
  const add = (t: unknown): void => {
    if (typeof t === 'string' && scope.names.has(t)) node.edges.push(t);
  };
  add(obj.Next);
  add(obj.Default);
  for (const list of [obj.Choices, obj.Catch]) {
    if (Array.isArray(list)) for (const item of list) if (isObject(item)) add(item.Next);
  }
}

