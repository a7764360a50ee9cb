import type { ItemProcessor, JsonValue, MapState } from '@saga/asl';
import { runtimeError, StatesError, toStatesError } from '../../errors.js';
import { applyInputPath, evaluateJsonata, evaluatePayloadTemplate, queryPath } from '../../evaluation/index.js';
import { parseResource } from '../../integrations/resource.js';
import { randomUuid } from '../../random.js';
import { runBlock } from '../block.js';
import { commitAssignments, stateOutput } from '../io.js';
import { withRetryAndCatch } from '../retry-catch.js';
import type { Scope, StateHandler } from '../scope.js';
import { ABORTED, Aborted, contextFor, evaluationScope, jsonataBindings, languageOf } from '../scope.js';
import { EVENT } from '../../history-log.js';

type MapFields = {
  ItemsPath?: string;
  Items?: JsonValue;
  ItemSelector?: JsonValue;
  Parameters?: JsonValue;
  MaxConcurrency?: number | string;
  MaxConcurrencyPath?: string;
  ToleratedFailureCount?: number | string;
  ToleratedFailureCountPath?: string;
  ToleratedFailurePercentage?: number | string;
  ToleratedFailurePercentagePath?: string;
  InputPath?: string | null;
};

/**
 * A Map state. Inline: one iteration per item of ItemsPath/Items, at most MaxConcurrency at a
 * time, results in item order; a failing iteration stops the others and fails the state with its
 * error. With ToleratedFailureCount/Percentage, failures up to the threshold are kept as their
 * Error Output in the results, and crossing it fails with States.ExceedToleratedFailureThreshold.
 * Distributed: the same, with ItemReader/ItemBatcher/ResultWriter through the task resolvers.
 */
export const executeMap: StateHandler<MapState> = async (name, state, raw, scope) => {
  const { run } = scope;
  run.history.entered(scope.thread, EVENT.MapStateEntered, name, raw);
  const enteredTime = run.clock.now();
  const context = () => contextFor(scope, name, enteredTime);
  const processor = (state.ItemProcessor ?? state.Iterator) as ItemProcessor;
  const s = state as MapState & MapFields;
  const jsonata = languageOf(state, scope) === 'JSONata';

  return withRetryAndCatch(name, state, raw, scope, context, EVENT.MapStateExited, async () => {
    const ctx = context();
    const es = evaluationScope(scope, name, ctx);
    const bindings = jsonataBindings(scope, raw, ctx);
    const number = async (value: number | string | undefined, path: string | undefined, field: string) => {
      let v: JsonValue | undefined = value;
      if (typeof value === 'string') v = await evaluateJsonata(value, bindings, field);
      else if (path !== undefined) v = queryPath(path, jsonata ? raw : applyInputPath(raw, s.InputPath, es), es);
      if (v === undefined) return undefined;
      if (typeof v !== 'number' || v < 0) throw runtimeError(name, `${field} must be a non-negative number, got ${JSON.stringify(v)}.`);
      return v;
    };

    const mapInput = jsonata ? raw : applyInputPath(raw, s.InputPath, es);
    let items: JsonValue;
    if (state.ItemReader) items = await readItems(name, state, mapInput, scope);
    else if (jsonata) items = s.Items === undefined ? raw : await evaluateJsonata(s.Items, bindings, 'Items');
    else items = s.ItemsPath === undefined ? mapInput : queryPath(s.ItemsPath, mapInput, es);
    if (!Array.isArray(items)) throw runtimeError(name, `Items of the Map state must be an array, got ${typeof items}.`);
    if (state.ItemBatcher) items = batch(items, state.ItemBatcher as { MaxItemsPerBatch?: number; BatchInput?: JsonValue });

    const maxConcurrency = (await number(s.MaxConcurrency, s.MaxConcurrencyPath, 'MaxConcurrency')) || Infinity;
    const toleratedCount = await number(s.ToleratedFailureCount, s.ToleratedFailureCountPath, 'ToleratedFailureCount');
    const toleratedPercentage = await number(s.ToleratedFailurePercentage, s.ToleratedFailurePercentagePath, 'ToleratedFailurePercentage');
    const tolerant = toleratedCount !== undefined || toleratedPercentage !== undefined;

    run.history.add(scope.thread, 'MapStateStarted', { mapStateStartedEventDetails: { length: items.length } });
    const list = items;
    const results = new Array<JsonValue>(list.length);
    const { cancellation: abort, detach } = scope.cancel.child();
    let failures = 0;
    let failure: StatesError | undefined;
    let next = 0;
    const exceeds = () =>
      (toleratedCount !== undefined && failures > toleratedCount) ||
      (toleratedPercentage !== undefined && (failures / list.length) * 100 > toleratedPercentage) ||
      (!tolerant && failures > 0);

    const worker = async () => {
      while (next < list.length && failure === undefined && !abort.aborted) {
        const index = next++;
        const item = list[index]!;
        const thread = { last: scope.thread.last };
        const child: Scope = { run, vars: scope.vars.child(), cancel: abort, language: scope.language, thread, topLevel: false };
        const details = { name, index };
        run.history.add(thread, 'MapIterationStarted', { mapIterationStartedEventDetails: details });
        try {
          const selector = s.ItemSelector ?? s.Parameters;
          let itemInput: JsonValue = item;
          if (selector !== undefined) {
            const itemContext = contextFor(scope, name, enteredTime, { mapItem: { Item: { Index: index, Value: item } } });
            itemInput = jsonata
              ? await evaluateJsonata(selector, jsonataBindings(scope, raw, itemContext), 'ItemSelector')
              : evaluatePayloadTemplate(selector, mapInput, evaluationScope(scope, name, itemContext));
          }
          results[index] = await runBlock(processor, itemInput, child);
          run.history.add(thread, 'MapIterationSucceeded', { mapIterationSucceededEventDetails: details });
        } catch (thrown) {
          if (thrown instanceof Aborted) {
            run.history.add(thread, 'MapIterationAborted', { mapIterationAbortedEventDetails: details });
            continue;
          }
          run.history.add(thread, 'MapIterationFailed', { mapIterationFailedEventDetails: details });
          const error = toStatesError(thrown);
          failures++;
          results[index] = error.toErrorOutput();
          if (exceeds()) {
            failure = tolerant
              ? new StatesError('States.ExceedToleratedFailureThreshold', 'The specified tolerated failure threshold was exceeded')
              : error;
            abort.abort(ABORTED);
          }
        }
      }
    };
    run.concurrentBlocks++;
    try {
      await Promise.all(Array.from({ length: Math.max(1, Math.min(maxConcurrency, list.length)) }, worker));
    } finally {
      run.concurrentBlocks--;
      detach();
    }
    if (scope.cancel.aborted) {
      run.history.addDetailless(scope.thread, EVENT.MapStateAborted);
      throw ABORTED;
    }
    if (failure) {
      run.history.addDetailless(scope.thread, EVENT.MapStateFailed);
      throw failure;
    }
    run.history.addDetailless(scope.thread, EVENT.MapStateSucceeded);
    const result = state.ResultWriter ? await writeResults(name, state, results, scope) : results;
    const { output, assigned } = await stateOutput(state, name, raw, result, scope, ctx);
    const assignedVariables = commitAssignments(scope, assigned);
    run.history.exited(scope.thread, EVENT.MapStateExited, name, output, assignedVariables);
    return state.End ? { kind: 'end', output } : { kind: 'next', next: state.Next!, output };
  });
};

/** ItemBatcher: items grouped into `{Items: [...], BatchInput}` of at most MaxItemsPerBatch. */
function batch(items: JsonValue[], batcher: { MaxItemsPerBatch?: number; BatchInput?: JsonValue }): JsonValue[] {
  const size = batcher.MaxItemsPerBatch ?? items.length;
  const batches: JsonValue[] = [];
  for (let i = 0; i < items.length; i += Math.max(1, size)) {
    batches.push({ Items: items.slice(i, i + size), ...(batcher.BatchInput !== undefined ? { BatchInput: batcher.BatchInput } : {}) });
  }
  return batches;
}

/** A resolver call for a Distributed Map's reader or writer resource (e.g. a local S3 stand-in). */
async function callResource(name: string, resource: string, input: JsonValue, scope: Scope): Promise<JsonValue> {
  const { run } = scope;
  const pending = run.resolve({
    resource,
    parsed: parseResource(resource),
    input,
    stateName: name,
    attempt: 0,
    execution: run.identity,
    signal: scope.cancel.signal,
    sleep: (ms) => run.clock.idleSleep(ms, scope.cancel.signal),
    now: () => run.clock.now(),
  });
  if (!pending) throw runtimeError(name, `No integration handles the resource '${resource}'.`);
  return run.clock.busy(pending);
}

/** ItemReader: the resolver returns the object's content (text or parsed JSON), read per ReaderConfig. */
async function readItems(name: string, state: MapState, input: JsonValue, scope: Scope): Promise<JsonValue[]> {
  const reader = state.ItemReader!;
  const es = evaluationScope(scope, name, contextFor(scope, name, scope.run.clock.now()));
  const params = reader.Parameters ? evaluatePayloadTemplate(reader.Parameters, input, es) : (reader.Arguments ?? {});
  let content: JsonValue;
  try {
    content = await callResource(name, reader.Resource, params, scope);
  } catch (e) {
    throw new StatesError('States.ItemReaderFailed', toStatesError(e).cause ?? toStatesError(e).name);
  }
  const config = reader.ReaderConfig ?? {};
  let items: JsonValue[];
  if (Array.isArray(content)) items = content;
  else if (typeof content === 'string') {
    const type = config.InputType ?? 'JSON';
    if (type === 'JSON') items = JSON.parse(content) as JsonValue[];
    else if (type === 'JSONL') items = content.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as JsonValue);
    else if (type === 'CSV') items = parseCsv(content, config.CSVHeaderLocation === 'GIVEN' ? (config.CSVHeaders as string[]) : undefined);
    else throw new StatesError('States.ItemReaderFailed', `InputType ${type} is not supported locally`);
  } else throw new StatesError('States.ItemReaderFailed', 'Attempting to map over non-iterable node.');
  const max = typeof config.MaxItems === 'number' ? config.MaxItems : undefined;
  return max !== undefined ? items.slice(0, max) : items;
}

function parseCsv(text: string, given?: string[]): JsonValue[] {
  const rows = text.split(/\r?\n/).filter((l) => l.length > 0).map((l) => l.split(','));
  const headers = given ?? rows.shift() ?? [];
  if (new Set(headers).size !== headers.length) throw new StatesError('States.ItemReaderFailed', 'CSV headers cannot contain duplicates.');
  return rows.map((r) => Object.fromEntries(headers.map((h, i) => [h, r[i] ?? ''])));
}

/** ResultWriter: hands the results to the writer resource; the state's result is the run's summary. */
async function writeResults(name: string, state: MapState, results: JsonValue[], scope: Scope): Promise<JsonValue> {
  const writer = state.ResultWriter!;
  const mapRunArn = `${scope.run.options.stateMachineArn.replace(':stateMachine:', ':mapRun:')}/${state.Label ?? name}:${randomUuid(scope.run.random)}`;
  try {
    const details = await callResource(name, writer.Resource ?? 'arn:aws:states:::s3:putObject', { ...(writer.Parameters ?? {}), Results: results } as JsonValue, scope);
    return { MapRunArn: mapRunArn, ResultWriterDetails: details };
  } catch (e) {
    throw new StatesError('States.ResultWriterFailed', toStatesError(e).cause ?? toStatesError(e).name);
  }
}
