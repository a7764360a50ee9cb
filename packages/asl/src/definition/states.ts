import type { ErrorName } from './errors.js';
import type { JsonObject, JsonPrimitive, JsonValue } from './json.js';
import type { DynamicKey, IntrinsicFunctionCall, JsonataExpression, Path, ReferencePath } from './paths.js';

/**
 * The Amazon States Language as plain JSON types.
 *
 * Every type takes `N`, the state names a transition may target in its scope, and `E`, the
 * error names a Retrier or Catcher may list. Hand-written definitions use the defaults
 * (`string`); the builder narrows both so that a `Next` naming no state, or an undeclared
 * error name, does not compile.
 *
 * Query-language fields are mutually exclusive at the type level: a state carries either the
 * JSONPath fields (InputPath, Parameters, ResultSelector, ResultPath, OutputPath) or the JSONata
 * ones (Arguments, Output), never both.
 */

export type QueryLanguage = 'JSONPath' | 'JSONata';

export type StateType = 'Task' | 'Pass' | 'Choice' | 'Wait' | 'Succeed' | 'Fail' | 'Parallel' | 'Map';

/** A JSONPath payload template: keys ending in `.$` hold a path or intrinsic call. */
export type PayloadTemplate = {
  [key: DynamicKey]: Path | IntrinsicFunctionCall;
  [key: string]: PayloadValue;
};
export type PayloadValue = JsonPrimitive | PayloadValue[] | PayloadTemplate;

/** A JSONata value: any JSON, where strings may be `{% %}` expressions. */
export type JsonataValue = JsonValue;

type Never<T> = { [K in keyof T]?: never };
/** Exactly one (or none, with `optional`) of two fields. */
type OneOf<A, B> = (A & Never<B>) | (B & Never<A>) | (Never<A> & Never<B>);

// ---------------------------------------------------------------- transitions

export type NextTransition<N extends string> = { Next: N; End?: never };
export type EndTransition = { End: true; Next?: never };
export type Transition<N extends string> = NextTransition<N> | EndTransition;

// ---------------------------------------------------------------- Retry and Catch

/** `States.ALL` must appear alone; the type forbids mixing it with other names. */
export type ErrorEquals<E extends string> =
  | readonly ['States.ALL']
  | readonly [Exclude<ErrorName<E>, 'States.ALL'>, ...Exclude<ErrorName<E>, 'States.ALL'>[]];

export type JitterStrategy = 'FULL' | 'NONE';

export interface Retrier<E extends string = string> {
  ErrorEquals: ErrorEquals<E>;
  /** Seconds before the first retry. @default 1 */
  IntervalSeconds?: number;
  /** Retries before giving up; 0 never retries. @default 3 */
  MaxAttempts?: number;
  /** Multiplier of the interval on each retry, at least 1.0. @default 2.0 */
  BackoffRate?: number;
  /** Cap on any single retry interval, 1..31622400. @default no cap */
  MaxDelaySeconds?: number;
  /** FULL draws each delay uniformly from [0, capped delay]. @default 'NONE' */
  JitterStrategy?: JitterStrategy;
  Comment?: string;
}

export interface JsonPathCatcher<N extends string = string, E extends string = string> {
  ErrorEquals: ErrorEquals<E>;
  Next: N;
  /** Where the Error Output `{Error, Cause}` goes in the state input. @default '$' */
  ResultPath?: ReferencePath | null;
  Assign?: PayloadTemplate;
  Output?: never;
  Comment?: string;
}

export interface JsonataCatcher<N extends string = string, E extends string = string> {
  ErrorEquals: ErrorEquals<E>;
  Next: N;
  Output?: JsonataValue;
  Assign?: Record<string, JsonataValue>;
  ResultPath?: never;
  Comment?: string;
}

export type Catcher<N extends string = string, E extends string = string> = JsonPathCatcher<N, E> | JsonataCatcher<N, E>;

// ---------------------------------------------------------------- common field groups

interface StateBase<T extends StateType> {
  Type: T;
  Comment?: string;
}

interface JsonPathIO {
  QueryLanguage?: 'JSONPath';
  /** `null` gives the state `{}` as input. @default '$' */
  InputPath?: Path | null;
  /** `null` gives `{}` as output. @default '$' */
  OutputPath?: Path | null;
  Assign?: PayloadTemplate;
  Output?: never;
  Arguments?: never;
}

interface JsonataIO {
  QueryLanguage?: 'JSONata';
  Output?: JsonataValue;
  Assign?: Record<string, JsonataValue>;
  InputPath?: never;
  OutputPath?: never;
  Parameters?: never;
  ResultSelector?: never;
  ResultPath?: never;
}

interface JsonPathResult {
  Parameters?: PayloadTemplate;
  ResultSelector?: PayloadTemplate;
  /** Where the result goes in the state input; `null` discards it. @default '$' */
  ResultPath?: ReferencePath | null;
}

interface Errorable<N extends string, E extends string, C> {
  Retry?: readonly Retrier<E>[];
  Catch?: readonly C[];
}

// ---------------------------------------------------------------- Task

type TaskTimeout = OneOf<{ TimeoutSeconds: number }, { TimeoutSecondsPath: ReferencePath }>;
type TaskHeartbeat = OneOf<{ HeartbeatSeconds: number }, { HeartbeatSecondsPath: ReferencePath }>;

export interface TaskCredentials {
  RoleArn?: string;
  'RoleArn.$'?: Path | IntrinsicFunctionCall;
}

interface TaskCommon extends StateBase<'Task'> {
  /** An integration ARN such as `arn:aws:states:::lambda:invoke`, or a function or activity ARN. */
  Resource: string;
  Credentials?: TaskCredentials;
}

export type JsonPathTaskState<N extends string = string, E extends string = string> = TaskCommon &
  JsonPathIO &
  JsonPathResult &
  Errorable<N, E, JsonPathCatcher<N, E>> &
  TaskTimeout &
  TaskHeartbeat &
  Transition<N>;

export type JsonataTaskState<N extends string = string, E extends string = string> = TaskCommon &
  JsonataIO & {
    Arguments?: JsonataValue;
    TimeoutSeconds?: number | JsonataExpression;
    HeartbeatSeconds?: number | JsonataExpression;
    TimeoutSecondsPath?: never;
    HeartbeatSecondsPath?: never;
  } & Errorable<N, E, JsonataCatcher<N, E>> &
  Transition<N>;

export type TaskState<N extends string = string, E extends string = string> =
  | JsonPathTaskState<N, E>
  | JsonataTaskState<N, E>;

// ---------------------------------------------------------------- Pass

export type PassState<N extends string = string> = StateBase<'Pass'> &
  (
    | (JsonPathIO & { Parameters?: PayloadTemplate; Result?: JsonValue; ResultPath?: ReferencePath | null })
    | (JsonataIO & { Result?: never })
  ) &
  Transition<N>;

// ---------------------------------------------------------------- Wait

type WaitJsonPath =
  | { Seconds: number; Timestamp?: never; SecondsPath?: never; TimestampPath?: never }
  | { Timestamp: string; Seconds?: never; SecondsPath?: never; TimestampPath?: never }
  | { SecondsPath: ReferencePath; Seconds?: never; Timestamp?: never; TimestampPath?: never }
  | { TimestampPath: ReferencePath; Seconds?: never; Timestamp?: never; SecondsPath?: never };

type WaitJsonata =
  | { Seconds: number | JsonataExpression; Timestamp?: never; SecondsPath?: never; TimestampPath?: never }
  | { Timestamp: string | JsonataExpression; Seconds?: never; SecondsPath?: never; TimestampPath?: never };

export type WaitState<N extends string = string> = StateBase<'Wait'> &
  ((JsonPathIO & WaitJsonPath) | (JsonataIO & WaitJsonata)) &
  Transition<N>;

// ---------------------------------------------------------------- Succeed and Fail

export type SucceedState = StateBase<'Succeed'> &
  ({ QueryLanguage?: 'JSONPath'; InputPath?: Path | null; OutputPath?: Path | null; Output?: never } | {
    QueryLanguage?: 'JSONata';
    Output?: JsonataValue;
    InputPath?: never;
    OutputPath?: never;
  }) & { Next?: never; End?: never };

type FailError = OneOf<{ Error: string }, { ErrorPath: Path | IntrinsicFunctionCall }>;
type FailCause = OneOf<{ Cause: string }, { CausePath: Path | IntrinsicFunctionCall }>;

export type FailState = StateBase<'Fail'> & { QueryLanguage?: QueryLanguage } & FailError &
  FailCause & { Next?: never; End?: never };

// ---------------------------------------------------------------- Choice

/** The data-test comparison operators of a JSONPath Choice rule and the type of their operand. */
export interface ComparisonOperators {
  StringEquals: string;
  StringEqualsPath: Path;
  StringLessThan: string;
  StringLessThanPath: Path;
  StringGreaterThan: string;
  StringGreaterThanPath: Path;
  StringLessThanEquals: string;
  StringLessThanEqualsPath: Path;
  StringGreaterThanEquals: string;
  StringGreaterThanEqualsPath: Path;
  StringMatches: string;
  NumericEquals: number;
  NumericEqualsPath: Path;
  NumericLessThan: number;
  NumericLessThanPath: Path;
  NumericGreaterThan: number;
  NumericGreaterThanPath: Path;
  NumericLessThanEquals: number;
  NumericLessThanEqualsPath: Path;
  NumericGreaterThanEquals: number;
  NumericGreaterThanEqualsPath: Path;
  BooleanEquals: boolean;
  BooleanEqualsPath: Path;
  TimestampEquals: string;
  TimestampEqualsPath: Path;
  TimestampLessThan: string;
  TimestampLessThanPath: Path;
  TimestampGreaterThan: string;
  TimestampGreaterThanPath: Path;
  TimestampLessThanEquals: string;
  TimestampLessThanEqualsPath: Path;
  TimestampGreaterThanEquals: string;
  TimestampGreaterThanEqualsPath: Path;
  IsNull: boolean;
  IsPresent: boolean;
  IsNumeric: boolean;
  IsString: boolean;
  IsBoolean: boolean;
  IsTimestamp: boolean;
}

export type ComparisonOperator = keyof ComparisonOperators;

/** A data test: a `Variable` and exactly one comparison operator. */
export type DataTestExpression = {
  [K in ComparisonOperator]: { Variable: Path } & { [P in K]: ComparisonOperators[P] } & {
    [P in Exclude<ComparisonOperator, K>]?: never;
  } & { And?: never; Or?: never; Not?: never };
}[ComparisonOperator];

export type BooleanExpression =
  | { And: readonly NestedChoiceRule[]; Or?: never; Not?: never; Variable?: never }
  | { Or: readonly NestedChoiceRule[]; And?: never; Not?: never; Variable?: never }
  | { Not: NestedChoiceRule; And?: never; Or?: never; Variable?: never };

/** A rule inside And/Or/Not: no `Next`. */
export type NestedChoiceRule = (DataTestExpression | BooleanExpression) & { Comment?: string; Next?: never };

export type JsonPathChoiceRule<N extends string = string> = (DataTestExpression | BooleanExpression) & {
  Next: N;
  Assign?: PayloadTemplate;
  Comment?: string;
  Condition?: never;
};

export interface JsonataChoiceRule<N extends string = string> {
  Condition: boolean | JsonataExpression;
  Next: N;
  Output?: JsonataValue;
  Assign?: Record<string, JsonataValue>;
  Comment?: string;
  Variable?: never;
}

export type ChoiceRule<N extends string = string> = JsonPathChoiceRule<N> | JsonataChoiceRule<N>;

export type ChoiceState<N extends string = string> = StateBase<'Choice'> &
  (
    | (JsonPathIO & { Choices: readonly [JsonPathChoiceRule<N>, ...JsonPathChoiceRule<N>[]] })
    | (JsonataIO & { Choices: readonly [JsonataChoiceRule<N>, ...JsonataChoiceRule<N>[]] })
  ) & { Default?: N; Next?: never; End?: never };

// ---------------------------------------------------------------- Parallel

/** A nested state machine: a Parallel branch or a Map's ItemProcessor. Names are its own scope. */
export interface Branch<E extends string = string> {
  StartAt: string;
  States: Record<string, State<string, E>>;
  Comment?: string;
  QueryLanguage?: QueryLanguage;
}

export type ParallelState<N extends string = string, E extends string = string> = StateBase<'Parallel'> & {
  Branches: readonly [Branch<E>, ...Branch<E>[]];
} & (
    | (JsonPathIO & JsonPathResult & Errorable<N, E, JsonPathCatcher<N, E>>)
    | (JsonataIO & { Arguments?: JsonataValue } & Errorable<N, E, JsonataCatcher<N, E>>)
  ) &
  Transition<N>;

// ---------------------------------------------------------------- Map

export type ProcessorConfig =
  | { Mode?: 'INLINE'; ExecutionType?: never }
  | { Mode: 'DISTRIBUTED'; ExecutionType: 'STANDARD' | 'EXPRESS' };

export interface ItemProcessor<E extends string = string> extends Branch<E> {
  ProcessorConfig?: ProcessorConfig;
}

export interface ItemReader {
  /** e.g. `arn:aws:states:::s3:getObject` or `arn:aws:states:::s3:listObjectsV2`. */
  Resource: string;
  ReaderConfig?: {
    InputType?: 'CSV' | 'JSON' | 'JSONL' | 'MANIFEST' | 'PARQUET';
    CSVHeaderLocation?: 'FIRST_ROW' | 'GIVEN';
    CSVHeaders?: readonly string[];
    CSVDelimiter?: 'COMMA' | 'PIPE' | 'SEMICOLON' | 'SPACE' | 'TAB';
    MaxItems?: number | JsonataExpression;
    MaxItemsPath?: ReferencePath;
  };
  Parameters?: PayloadTemplate;
  Arguments?: JsonataValue;
}

export interface ItemBatcher {
  MaxItemsPerBatch?: number | JsonataExpression;
  MaxItemsPerBatchPath?: ReferencePath;
  MaxInputBytesPerBatch?: number | JsonataExpression;
  MaxInputBytesPerBatchPath?: ReferencePath;
  BatchInput?: JsonObject;
}

export interface ResultWriter {
  Resource?: string;
  Parameters?: PayloadTemplate;
  Arguments?: JsonataValue;
  WriterConfig?: { Transformation?: 'NONE' | 'COMPACT' | 'FLATTEN'; OutputType?: 'JSON' | 'JSONL' };
}

interface MapCommon<E extends string> extends StateBase<'Map'> {
  ItemProcessor?: ItemProcessor<E>;
  /** Deprecated name of ItemProcessor. */
  Iterator?: ItemProcessor<E>;
  ItemReader?: ItemReader;
  ItemBatcher?: ItemBatcher;
  ResultWriter?: ResultWriter;
  /** Distributed Map label, at most 40 characters. */
  Label?: string;
}

type MapJsonPath<N extends string, E extends string> = JsonPathIO &
  JsonPathResult &
  Errorable<N, E, JsonPathCatcher<N, E>> & {
    ItemsPath?: ReferencePath;
    ItemSelector?: PayloadTemplate;
    Items?: never;
  } & OneOf<{ MaxConcurrency: number }, { MaxConcurrencyPath: ReferencePath }> &
  OneOf<{ ToleratedFailureCount: number }, { ToleratedFailureCountPath: ReferencePath }> &
  OneOf<{ ToleratedFailurePercentage: number }, { ToleratedFailurePercentagePath: ReferencePath }>;

type MapJsonata<N extends string, E extends string> = JsonataIO &
  Errorable<N, E, JsonataCatcher<N, E>> & {
    Items?: JsonValue[] | JsonataExpression;
    ItemSelector?: JsonataValue;
    MaxConcurrency?: number | JsonataExpression;
    ToleratedFailureCount?: number | JsonataExpression;
    ToleratedFailurePercentage?: number | JsonataExpression;
    ItemsPath?: never;
  };

export type MapState<N extends string = string, E extends string = string> = MapCommon<E> &
  (MapJsonPath<N, E> | MapJsonata<N, E>) &
  Transition<N>;

// ---------------------------------------------------------------- unions and the machine

/** Any state, discriminated by `Type`. */
export type State<N extends string = string, E extends string = string> =
  | TaskState<N, E>
  | PassState<N>
  | ChoiceState<N>
  | WaitState<N>
  | SucceedState
  | FailState
  | ParallelState<N, E>
  | MapState<N, E>;

/** The top-level definition, as CreateStateMachine takes it (after JSON.parse). */
export interface StateMachineDefinition<E extends string = string> extends Branch<E> {
  Version?: '1.0';
  TimeoutSeconds?: number;
}

export type { JsonValue, JsonObject };
