import { Buffer } from 'node:buffer';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JsonValue } from '@saga/asl';
import { StatesError, toStatesError } from '../errors.js';
import {
  asPromise,
  httpDate,
  invalidParameters,
  newRequestId,
  optionalString,
  paramsObject,
  requiredString,
  sdkHttpMetadata,
  serviceErrorCause,
  toJson,
  underSignal,
  type JsonObject,
} from './common.js';
import type { TaskInvocation, TaskResolver } from './types.js';
import { FunctionTimeout } from './lambda-timeout.js';

/** What a local Lambda handler gets as its second argument (a subset of Lambda's Node.js context). */
export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  awsRequestId: string;
  /** Time left before the registered function timeout, on the execution's clock. */
  getRemainingTimeInMillis(): number;
  /** Aborted when the task times out, the execution stops, or a sibling branch fails: cooperative handlers stop. */
  signal: AbortSignal;
  /** Sleeps on the execution's clock (virtual-time aware): use it instead of setTimeout to simulate slowness. */
  sleep(ms: number): Promise<void>;
  /** Local only (Lambda has no such field): the Task invocation behind this call. */
  invocation: TaskInvocation;
}

/** A local Lambda function. Its return value (or resolved value) is the function's output. */
export type LambdaHandler = (event: JsonValue, context: LambdaContext) => unknown;

export interface LambdaFunctionOptions {
  /** The function timeout `getRemainingTimeInMillis()` counts down from (default 900,000 ms, Lambda's maximum). Not enforced: use the Task's TimeoutSeconds. */
  timeoutMs?: number;
}

/** A Lambda service fault raised before the handler runs. */
export interface LambdaFault {
  /** The Error name, e.g. `Lambda.TooManyRequestsException`, `Lambda.ServiceException`. */
  error: string;
  /** The Cause; defaults to an AWS-shaped service error message. */
  cause?: string;
  /** How many invocations fail this way (default: every one, until cleared). */
  times?: number;
}

interface Registration {
  name: string;
  timeoutMs: number;
  handler?: LambdaHandler;
  file?: { path: string; exportName: string };
  loading?: Promise<LambdaHandler>;
}

interface PendingFault {
  error: string;
  cause: string | undefined;
  remaining: number;
}

const DEFAULT_TIMEOUT_MS = 900_000;

const FUNCTION_NAME_RE = /^(?:arn:[^:]+:lambda:[^:]*:[^:]*:function:|\d{12}:function:)?([^:]+)(?::([^:]+))?$/;

/**
 * The function name in anything Lambda's `FunctionName` accepts: a name, `name:qualifier`, a
 * function ARN with or without qualifier, or a partial ARN (`123456789012:function:name`).
 */
export function functionNameOf(nameOrArn: string): string {
  return functionRef(nameOrArn).name;
}

function qualifierOf(nameOrArn: string): string | undefined {
  return functionRef(nameOrArn).qualifier;
}

/** The version an invocation reports for a function qualifier: a numeric one, else `$LATEST`. */
function versionOf(qualifier: string | undefined): string {
  return qualifier && /^\d+$/.test(qualifier) ? qualifier : '$LATEST';
}

interface FunctionRef {
  readonly name: string;
  readonly qualifier: string | undefined;
  readonly version: string;
}

/**
 * A function reference split into name, qualifier and version, remembered: every invocation
 * resolves the same few references, and a regex match per lookup was a steady source of garbage.
 */
function functionRef(nameOrArn: string): FunctionRef {
  let ref = functionRefs.get(nameOrArn);
  if (!ref) {
    const m = FUNCTION_NAME_RE.exec(nameOrArn);
    const qualifier = m?.[2];
    ref = { name: m?.[1] ?? nameOrArn, qualifier, version: versionOf(qualifier) };
    if (functionRefs.size >= 1024) functionRefs.clear();
    functionRefs.set(nameOrArn, ref);
  }
  return ref;
}
const functionRefs = new Map<string, FunctionRef>();

/** Local Lambda functions by name (ARNs are reduced to the name), with fault injection. */
export class LambdaRegistry {
  private readonly functions = new Map<string, Registration>();
  private readonly faults = new Map<string, PendingFault[]>();
  private readonly background = new Set<Promise<void>>();
  private backgroundErrors: Array<{ functionName: string; error: StatesError }> = [];

  /** Registers (or replaces) a function. */
  register(nameOrArn: string, handler: LambdaHandler, options: LambdaFunctionOptions = {}): this {
    const name = functionNameOf(nameOrArn);
    this.functions.set(name, { name, handler, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    return this;
  }

  /**
   * Registers a function whose handler is `exportName` of a built module (a relative path is
   * resolved against the current directory now), imported on first invocation (then cached). A module that fails to import fails the task with
   * `Runtime.ImportModuleError`, a missing export with `Runtime.HandlerNotFound`, as Lambda does.
   */
  registerFile(nameOrArn: string, modulePath: string, exportName = 'handler', options: LambdaFunctionOptions = {}): this {
    const name = functionNameOf(nameOrArn);
    this.functions.set(name, {
      name,
      file: { path: resolvePath(modulePath), exportName },
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
    return this;
  }

  unregister(nameOrArn: string): boolean {
    return this.functions.delete(functionNameOf(nameOrArn));
  }

  has(nameOrArn: string): boolean {
    return this.functions.has(functionNameOf(nameOrArn));
  }

  functionNames(): string[] {
    return [...this.functions.keys()];
  }

  /**
   * Makes the next invocations of a function (registered or not) fail with a Lambda service
   * error before its handler runs; each failed invocation consumes one of `times`. Faults queue
   * in the order injected.
   */
  injectError(nameOrArn: string, fault: LambdaFault): this {
    const name = functionNameOf(nameOrArn);
    const times = fault.times ?? Number.POSITIVE_INFINITY;
    if (!(times > 0)) return this;
    const list = this.faults.get(name) ?? [];
    list.push({ error: fault.error, cause: fault.cause, remaining: times });
    this.faults.set(name, list);
    return this;
  }

  /** Removes injected faults of one function, or of all. */
  clearInjections(nameOrArn?: string): void {
    if (nameOrArn === undefined) this.faults.clear();
    else this.faults.delete(functionNameOf(nameOrArn));
  }

  /**
   * Waits for every `InvocationType: Event` invocation still running, and returns the errors
   * those raised since the last call (asynchronous invocations never fail the task).
   */
  async drain(): Promise<Array<{ functionName: string; error: StatesError }>> {
    while (this.background.size > 0) await Promise.all([...this.background]);
    const errors = this.backgroundErrors;
    this.backgroundErrors = [];
    return errors;
  }

  /** @internal The next injected fault for `name`, consumed. */
  takeFault(name: string): { error: string; cause: string | undefined } | undefined {
    const list = this.faults.get(name);
    const fault = list?.[0];
    if (!list || !fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) list.shift();
    if (list.length === 0) this.faults.delete(name);
    return { error: fault.error, cause: fault.cause };
  }

  /** @internal */
  lookup(name: string): Registration | undefined {
    return this.functions.get(name);
  }

  /** @internal The handler, importing its module the first time. */
  handlerOf(reg: Registration): Promise<LambdaHandler> {
    if (reg.handler) return Promise.resolve(reg.handler);
    const file = reg.file!;
    if (!reg.loading) {
      const loading = loadHandler(file.path, file.exportName);
      reg.loading = loading;
      // A failed import is not cached: fixing the file and invoking again works.
      loading.catch(() => {
        if (reg.loading === loading) reg.loading = undefined;
      });
    }
    return reg.loading;
  }

  /** @internal */
  runInBackground(functionName: string, work: Promise<unknown>): void {
    const tracked = work.then(
      () => undefined,
      (e: unknown) => {
        this.backgroundErrors.push({ functionName, error: toStatesError(e) });
      },
    );
    this.background.add(tracked);
    void tracked.finally(() => this.background.delete(tracked));
  }
}

export function createLambdaRegistry(): LambdaRegistry {
  return new LambdaRegistry();
}

async function loadHandler(path: string, exportName: string): Promise<LambdaHandler> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw lambdaFunctionError('Runtime.ImportModuleError', message, e instanceof Error ? e.stack : undefined);
  }
  const handler = mod[exportName];
  if (typeof handler !== 'function') {
    throw lambdaFunctionError('Runtime.HandlerNotFound', `${path}.${exportName} is undefined or not exported`);
  }
  return handler as LambdaHandler;
}

/** A function error as Lambda reports it: Error = errorType, Cause = `{errorType, errorMessage, trace}`. */
function lambdaFunctionError(errorType: string, errorMessage: string, stack?: string): StatesError {
  const trace = stack ? stack.split('\n') : [];
  return new StatesError(errorType, JSON.stringify({ errorType, errorMessage, trace }));
}

const FAULT_STATUS: Record<string, [number, string]> = {
  TooManyRequestsException: [429, 'Rate Exceeded.'],
  ServiceException: [500, 'Service Exception'],
  AWSLambdaException: [500, 'Internal error'],
  ResourceNotReadyException: [502, 'The function is not ready'],
  ResourceConflictException: [409, 'The operation cannot be performed at this time.'],
  ResourceNotFoundException: [404, 'Function not found'],
  EC2ThrottledException: [502, 'Lambda was throttled by Amazon EC2'],
  ENILimitReachedException: [502, 'Lambda was not able to create an elastic network interface'],
};

function faultError(fault: { error: string; cause: string | undefined }, requestId: string): StatesError {
  if (fault.cause !== undefined) return new StatesError(fault.error, fault.cause);
  const code = fault.error.startsWith('Lambda.') ? fault.error.slice('Lambda.'.length) : fault.error;
  const [status, message] = FAULT_STATUS[code] ?? [500, `Injected fault ${fault.error}`];
  return new StatesError(fault.error, serviceErrorCause(message, 'AWSLambda', status, code, requestId));
}

function notFound(functionArn: string, requestId: string): StatesError {
  return new StatesError(
    'Lambda.ResourceNotFoundException',
    serviceErrorCause(`Function not found: ${functionArn}`, 'AWSLambda', 404, 'ResourceNotFoundException', requestId),
  );
}

/** The function ARN as the error messages print it. */
function functionArnFor(invocation: TaskInvocation, nameOrArn: string, qualifier?: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  const { region, account } = invocation.execution;
  const partial = /^(\d{12}):function:(.+)$/.exec(nameOrArn);
  if (partial) return `arn:aws:lambda:${region}:${partial[1]}:function:${partial[2]}`;
  return `arn:aws:lambda:${region}:${account}:function:${nameOrArn}${qualifier && !nameOrArn.includes(':') ? `:${qualifier}` : ''}`;
}

/** Runs the handler under the invocation's signal; returns its output as JSON. */
function runHandler(registry: LambdaRegistry, call: InvocationContext): Promise<JsonValue> {
  // An in-process handler is at hand; a file handler is imported once (abandoned if aborted).
  if (call.reg.handler) return invokeHandler(call.reg.handler, call);
  return underSignal(call.detached ?? call.invocation.signal, () => registry.handlerOf(call.reg)).then(
    (handler) => invokeHandler(handler, call),
    (e: unknown) => Promise.reject(invocationError(e, call)),
  );
}

/**
 * Calls the handler and takes its output. Plain promises, not an async function: an invocation
 * that waits (10,000 executions held on a handler) then holds no suspended frame of ours.
 */
function invokeHandler(handler: LambdaHandler, call: InvocationContext): Promise<JsonValue> {
  const { invocation, detached } = call;
  let running: Promise<unknown>;
  try {
    // The handler gets its own copy (as Lambda's JSON transport gives it): mutating the event never
    // touches the execution's data. Abandoned on abort (by the engine itself when it says so), and
    // failed with Sandbox.Timedout past the function's own timeout.
    const copy = toJson(call.event);
    running = invocation.abandonedByCaller
      ? Promise.resolve(call.bound(handler(copy, call)))
      : underSignal(detached ?? invocation.signal, () => Promise.resolve(call.bound(handler(copy, call))));
  } catch (e) {
    return Promise.reject(invocationError(e, call));
  }
  return running.then(
    (raw) => handlerOutput(raw, call),
    (e: unknown) => Promise.reject(invocationError(e, call)),
  );
}

/** What a failed invocation throws: the abort reason, Sandbox.Timedout, or the handler's error. */
function invocationError(e: unknown, call: InvocationContext): unknown {
  const { invocation } = call;
  // The engine abandons an aborted attempt itself; reading the signal would only create it.
  if (!invocation.abandonedByCaller) {
    const signal = call.detached ?? invocation.signal;
    if (signal.aborted) return signal.reason;
  }
  if (call.timedOut) return call.timeout.error();
  return toStatesError(e);
}

/** The function's response as Lambda's JSON transport gives it back. */
function handlerOutput(raw: unknown, call: InvocationContext): JsonValue {
  // Stopped at its timeout: whatever the handler did after that does not count.
  if (call.timedOut) throw call.timeout.error();
  try {
    return toJson(raw);
  } catch (e) {
    const detail = e instanceof Error ? e.message : String(e);
    throw lambdaFunctionError('Runtime.MarshalError', `Unable to marshal response: ${detail}`);
  }
}

/**
 * One invocation of a registered function, and the context its handler gets. A class: an object
 * literal with a getter costs a hidden class per invocation, which the garbage collector pays for
 * many times over. Its request id and its timeout are made on first use: in virtual time most
 * handlers never sleep nor ask for either.
 */
class InvocationContext implements LambdaContext {
  readonly functionName: string;
  private requestId: string | undefined;
  private readonly startedAt: number;
  private functionTimeout: FunctionTimeout | undefined;

  constructor(
    readonly reg: Registration,
    readonly event: JsonValue,
    readonly invocation: TaskInvocation,
    /** The signal the handler sees: the invocation's own unless given (an asynchronous invocation's). */
    readonly detached: AbortSignal | undefined,
    readonly invokedFunctionArn: string,
    readonly functionVersion: string,
    requestId?: string,
  ) {
    this.functionName = reg.name;
    this.requestId = requestId;
    this.startedAt = invocation.now();
    // In real time a timer runs alongside the handler from its start.
    if (invocation.realTime) this.functionTimeout = this.newTimeout();
  }

  get awsRequestId(): string {
    return (this.requestId ??= newRequestId());
  }

  /** The function's own timeout, on the execution's clock. */
  get timeout(): FunctionTimeout {
    return (this.functionTimeout ??= this.newTimeout());
  }

  /** Whether the function ran into its timeout (only a timeout that exists can have). */
  get timedOut(): boolean {
    return this.functionTimeout?.expired ?? false;
  }

  /** What to await for the handler: its result, raced against the timeout's timer in real time. */
  bound<T>(running: T | PromiseLike<T>): T | PromiseLike<T> {
    return this.functionTimeout ? this.functionTimeout.bound(running) : running;
  }

  private newTimeout(): FunctionTimeout {
    return new FunctionTimeout(this.invocation, this.reg.timeoutMs, this.startedAt, () => this.awsRequestId);
  }

  // Getters returning functions, so that they also work detached (`const { sleep } = context`).
  get getRemainingTimeInMillis(): () => number {
    return () => Math.max(0, this.timeout.deadline - this.invocation.now());
  }

  /** Created on first read: most handlers never look at it. */
  get signal(): AbortSignal {
    return this.detached ?? this.invocation.signal;
  }

  /** Sleeps on the execution's clock; reaching the function's timeout fails the invocation (Sandbox.Timedout). */
  get sleep(): (ms: number) => Promise<void> {
    return (ms) => this.timeout.sleep(ms);
  }
}

const INVOCATION_TYPES = ['RequestResponse', 'Event', 'DryRun'] as const;

function invokeResult(
  invocation: TaskInvocation,
  requestId: string,
  status: 200 | 202 | 204,
  payload: JsonValue,
  version: string,
): JsonObject {
  const body = status === 200 ? JSON.stringify(payload) : '';
  const headers: Record<string, string> = {
    Connection: 'keep-alive',
    'Content-Length': String(Buffer.byteLength(body)),
    'Content-Type': 'application/json',
    Date: httpDate(invocation.now()),
    ...(status === 200 ? { 'X-Amz-Executed-Version': version } : {}),
    'x-amzn-Remapped-Content-Length': '0',
    'x-amzn-RequestId': requestId,
  };
  const result: JsonObject = {};
  if (status === 200) result['ExecutedVersion'] = version;
  result['Payload'] = status === 200 ? payload : '';
  result['SdkHttpMetadata'] = sdkHttpMetadata(headers, status);
  result['SdkResponseMetadata'] = { RequestId: requestId };
  result['StatusCode'] = status;
  return result;
}

async function invokeOptimized(registry: LambdaRegistry, invocation: TaskInvocation): Promise<JsonValue> {
  const params = paramsObject(invocation);
  const functionName = requiredString(invocation, params, 'FunctionName');
  const qualifier = optionalString(invocation, params, 'Qualifier') ?? qualifierOf(functionName);
  const invocationType = optionalString(invocation, params, 'InvocationType') ?? 'RequestResponse';
  if (!(INVOCATION_TYPES as readonly string[]).includes(invocationType)) {
    throw invalidParameters(
      invocation,
      `The value for the field 'InvocationType' must be one of ${INVOCATION_TYPES.join(', ')}`,
    );
  }
  // Lambda's Invoke with no payload hands the function `{}`.
  const event: JsonValue = params['Payload'] === undefined ? {} : params['Payload'];
  const name = functionNameOf(functionName);
  const version = versionOf(qualifier);
  const functionArn = functionArnFor(invocation, functionName, qualifier);
  const requestId = newRequestId();

  const fault = registry.takeFault(name);
  if (fault) throw faultError(fault, requestId);
  const reg = registry.lookup(name);
  if (!reg) throw notFound(functionArn, requestId);

  if (invocationType === 'DryRun') return invokeResult(invocation, requestId, 204, '', version);
  if (invocationType === 'Event') {
    // Asynchronous: the task does not wait and the function is not tied to the task's signal.
    const detached = new AbortController().signal;
    registry.runInBackground(
      name,
      runHandler(registry, new InvocationContext(reg, event, invocation, detached, functionArn, version, requestId)),
    );
    return invokeResult(invocation, requestId, 202, '', version);
  }
  const payload = await runHandler(registry, new InvocationContext(reg, event, invocation, undefined, functionArn, version, requestId));
  return invokeResult(invocation, requestId, 200, payload, version);
}

// Not `async`: it hands back the handler's promise rather than wrapping it in one more (a
// suspended frame and a promise per waiting execution); the resolver turns a throw into a rejection.
function invokeLegacy(
  registry: LambdaRegistry,
  invocation: TaskInvocation,
  functionArn: string,
  name: string,
): Promise<JsonValue> {
  const fault = registry.takeFault(name);
  if (fault) throw faultError(fault, newRequestId());
  const reg = registry.lookup(name);
  if (!reg) throw notFound(functionArn, newRequestId());
  const { version } = functionRef(functionArn);
  return runHandler(registry, new InvocationContext(reg, invocation.input, invocation, undefined, functionArn, version));
}

/**
 * Handles `arn:aws:states:::lambda:invoke[.waitForTaskToken]` (result: Lambda's Invoke response
 * envelope, the function output under `Payload`) and legacy function-ARN resources (result: the
 * function output itself). A thrown error fails the task as Lambda reports function errors
 * (`Error` = errorType, `Cause` = `{errorType, errorMessage, trace}`); a thrown StatesError keeps
 * its own name and cause.
 */
export function createLambdaResolver(registry: LambdaRegistry): TaskResolver {
  return (invocation) => {
    const parsed = invocation.parsed;
    if (parsed.kind === 'lambda-function') {
      try {
        return invokeLegacy(registry, invocation, parsed.functionArn, parsed.functionName);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    if (
      parsed.kind === 'integration' &&
      parsed.service === 'lambda' &&
      parsed.action === 'invoke' &&
      (parsed.pattern === 'requestResponse' || parsed.pattern === 'waitForTaskToken')
    ) {
      return asPromise(() => invokeOptimized(registry, invocation));
    }
    return undefined;
  };
}
