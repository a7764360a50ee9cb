import type { QueryLanguage, StateType } from '../definition/states.js';
import type { Diagnostic, DiagnosticCode } from './diagnostic.js';

export type StateMachineType = 'STANDARD' | 'EXPRESS';

export interface ValidateOptions {
  /** The state machine type; EXPRESS rejects `.sync`, `.waitForTaskToken` and activities. @default 'STANDARD' */
  type?: StateMachineType;
}

/** Parallel/Map nesting deeper than this is reported as TOO_DEEPLY_NESTED (AWS's own limit is undocumented). */
export const MAX_SCOPE_DEPTH = 20;
/** JSON values (payload templates, Choice rules, JSONata values) nested deeper than this are not walked. */
export const MAX_VALUE_DEPTH = 256;
/** CreateStateMachine's `definition` length limit. */
export const MAX_DEFINITION_LENGTH = 1_048_576;

/** One state as a node of its scope's transition graph. */
export interface GraphNode {
  name: string;
  loc: string;
  /** Names of states this state can transition to (existing targets only). */
  edges: string[];
  /** End:true, Succeed or Fail. */
  terminal: boolean;
  /** Its shape is unknown (bad or missing Type): assume it may end, to avoid cascading diagnostics. */
  uncertain: boolean;
  /** A transition of it is broken (missing target, wrong type): excluded from the no-path check. */
  dangling: boolean;
}

/** A `{StartAt, States}` block: the machine, a Parallel branch or a Map processor. */
export interface Scope {
  /** Location of the block ('' for the machine). */
  base: string;
  /** Names declared in this block's `States`. */
  names: ReadonlySet<string>;
  nodes: Map<string, GraphNode>;
  /** Number of Parallel/Map levels above this block. */
  depth: number;
  /** EXPRESS rules apply (EXPRESS machine or a distributed Map with ExecutionType EXPRESS). */
  express: boolean;
}

/** Machine-wide validation state. */
export class Validator {
  readonly diagnostics: Diagnostic[] = [];
  readonly type: StateMachineType;
  /** The machine's top-level query language; inner states default to it. */
  machineLanguage: QueryLanguage = 'JSONPath';
  /** First location of every state name, machine-wide. */
  readonly stateNames = new Map<string, string>();
  /** First location of every distributed Map label. */
  readonly labels = new Map<string, string>();

  constructor(options: ValidateOptions | undefined) {
    this.type = options?.type === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
  }

  error(code: DiagnosticCode, message: string, location: string): void {
    this.diagnostics.push({ severity: 'ERROR', code, message, location });
  }

  warn(code: DiagnosticCode, message: string, location: string): void {
    this.diagnostics.push({ severity: 'WARNING', code, message, location });
  }

  /** SCHEMA_VALIDATION_FAILED, the code AWS uses for most rules. */
  schema(message: string, location: string): void {
    this.error('SCHEMA_VALIDATION_FAILED', message, location);
  }
}

/** What a field check knows about the state it belongs to. */
export interface StateCtx {
  v: Validator;
  scope: Scope;
  name: string;
  /** `/States/A` (scope-prefixed). */
  loc: string;
  type: StateType;
  /** The state's effective query language. */
  ql: QueryLanguage;
  node: GraphNode;
  /** The state object itself. */
  obj: Record<string, unknown>;
}

/** The location of an object for object-level diagnostics: the root object is '/'. */
export function objectLocation(loc: string): string {
  return loc === '' ? '/' : loc;
}
