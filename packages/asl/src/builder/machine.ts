import type { ItemProcessor, ProcessorConfig, QueryLanguage, State, StateMachineDefinition } from '../definition/states.js';
import type { Diagnostic } from '../validate/index.js';
import { AslValidationError, validate } from '../validate/index.js';
import { toPlainJson } from './plain-json.js';

/**
 * The states of one scope, each checked against the names of that scope: a `Next`, `Default`
 * or Catch target that names no key of `S` is a type error on that state.
 */
export type StatesOf<S, E extends string> = { [K in keyof S]: State<Extract<keyof S, string>, E> };

export interface BranchProps<S> {
  /** The first state; must be one of `States`. */
  StartAt: NoInfer<Extract<keyof S, string>>;
  States: S;
  Comment?: string;
  QueryLanguage?: QueryLanguage;
}

export interface ItemProcessorProps<S> extends BranchProps<S> {
  /** INLINE (the default) or DISTRIBUTED with its child ExecutionType. */
  ProcessorConfig?: ProcessorConfig;
}

export interface StateMachineProps<S> extends BranchProps<S> {
  /** Execution timeout; the execution fails with `States.Timeout` past it. */
  TimeoutSeconds?: number;
  Version?: '1.0';
}

export interface BuildOptions {
  /** Express machines reject `.sync`, `.waitForTaskToken` and activities. @default 'STANDARD' */
  type?: 'STANDARD' | 'EXPRESS';
}

/** A validated, immutable state machine definition. */
export interface StateMachine<E extends string = string> {
  /** The ASL definition as plain, frozen JSON data. */
  readonly definition: Readonly<StateMachineDefinition<E>>;
  /** Warnings found while validating (errors make the build throw). */
  readonly warnings: readonly Diagnostic[];
  /** The definition, for `JSON.stringify`. */
  toJSON(): StateMachineDefinition<E>;
  /** The definition as the JSON string CreateStateMachine takes. */
  serialize(space?: number): string;
}

/** A branch of a Parallel state or the ItemProcessor of a Map: a nested machine with its own names. */
export function branch<S extends StatesOf<S, E>, E extends string = never>(props: ItemProcessorProps<S>): ItemProcessor<E> {
  return toPlainJson(props) as unknown as ItemProcessor<E>;
}

/**
 * Builds a state machine: drops undefined fields, validates the whole graph with the rules AWS
 * enforces at CreateStateMachine, and throws an {@link AslValidationError} listing every error.
 */
export function stateMachine<S extends StatesOf<S, E>, E extends string = never>(
  props: StateMachineProps<S>,
  options: BuildOptions = {},
): StateMachine<E> {
  return fromDefinition<E>(props as unknown as StateMachineDefinition<E>, options);
}

/** Wraps an existing definition (hand-written or generated) as a validated {@link StateMachine}. */
export function fromDefinition<E extends string = string>(
  definition: StateMachineDefinition<E>,
  options: BuildOptions = {},
): StateMachine<E> {
  const plain = toPlainJson(definition) as unknown as StateMachineDefinition<E>;
  const { diagnostics } = validate(plain, options.type ? { type: options.type } : {});
  const errors = diagnostics.filter((d) => d.severity === 'ERROR');
  if (errors.length > 0) throw new AslValidationError(errors);
  const frozen = deepFreeze(plain);
  return {
    definition: frozen,
    warnings: diagnostics.filter((d) => d.severity === 'WARNING'),
    toJSON: () => frozen,
    serialize: (space?: number) => JSON.stringify(frozen, null, space),
  };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
