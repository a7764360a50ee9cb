import { MAX_SCOPE_DEPTH, objectLocation, type StateCtx } from './context.js';
import {
  admitFields,
  checkFields,
  exclusive,
  expectArray,
  expectEnum,
  expectObject,
  expectString,
  has,
  isObject,
  requireFields,
  table,
  typeMessage,
  type FieldSpec,
  type JsonObject,
} from './fields.js';
import { checkJsonataString, checkJsonataValue } from './jsonata.js';
import { checkLabel } from './names.js';
import { checkPayloadTemplate, checkReferencePathField } from './paths.js';
import { isIntegrationArn, unrecognisedResourceMessage } from './resource.js';
import { jsonataArguments, scalarInteger, scalarNumber, template } from './state-fields.js';
import { checkScope, processorFields } from './structure.js';
import { checkNextOrEnd } from './transitions.js';

/**
 * Map: exactly one of ItemProcessor / Iterator; ProcessorConfig (INLINE | DISTRIBUTED, the latter
 * with ExecutionType); distributed-only ItemReader / ItemBatcher / ResultWriter; Label; tolerated
 * failure, concurrency and item fields with their ranges and X / XPath exclusivity.
 */

type Spec = FieldSpec<StateCtx>;
const MAX = 99_999_999;

function processorConfig(obj: JsonObject): JsonObject | undefined {
  const processor = has(obj, 'ItemProcessor') ? obj.ItemProcessor : obj.Iterator;
  return isObject(processor) && isObject(processor.ProcessorConfig) ? processor.ProcessorConfig : undefined;
}

function isDistributed(obj: JsonObject): boolean {
  return processorConfig(obj)?.Mode === 'DISTRIBUTED';
}

function checkProcessor(s: StateCtx, x: unknown, loc: string): void {
  if (!isObject(x)) {
    s.v.schema(typeMessage('Object'), loc);
    return;
  }
  if (s.scope.depth + 1 > MAX_SCOPE_DEPTH) {
    s.v.error('TOO_DEEPLY_NESTED', `Parallel and Map states are nested more than ${MAX_SCOPE_DEPTH} levels deep`, s.loc);
    return;
  }
  const config = isObject(x.ProcessorConfig) ? x.ProcessorConfig : undefined;
  const express = s.scope.express || (config?.Mode === 'DISTRIBUTED' && config.ExecutionType === 'EXPRESS');
  checkScope(s.v, x, loc, { depth: s.scope.depth + 1, express, fields: processorFields });
}

/** `ItemProcessor.ProcessorConfig` (checked as a field of the processor scope). */
export function checkProcessorConfig(v: StateCtx['v'], x: unknown, loc: string): void {
  if (!expectObject(v, x, loc)) return;
  for (const key of Object.keys(x)) {
    if (key !== 'Mode' && key !== 'ExecutionType') v.schema(`Field '${key}' is not supported`, loc);
  }
  if (has(x, 'Mode')) expectEnum(v, x.Mode, `${loc}/Mode`, 'Mode', ['INLINE', 'DISTRIBUTED']);
  if (has(x, 'ExecutionType')) expectEnum(v, x.ExecutionType, `${loc}/ExecutionType`, 'ExecutionType', ['STANDARD', 'EXPRESS']);
  if (x.Mode === 'DISTRIBUTED') requireFields(v, x, loc, ['ExecutionType']);
  else if (has(x, 'ExecutionType')) v.schema("Field 'ExecutionType' is only supported when 'Mode' is 'DISTRIBUTED'", loc);
}

function resourceField(s: StateCtx, x: unknown, loc: string): void {
  if (expectString(s.v, x, loc) && !isIntegrationArn(x)) s.v.error('INVALID_RESOURCE', unrecognisedResourceMessage(x), loc);
}

const READER_CONFIG = table<StateCtx>({
  InputType: { check: (x, loc, s) => expectEnum(s.v, x, loc, 'InputType', ['CSV', 'JSON', 'JSONL', 'MANIFEST', 'PARQUET']) },
  CSVHeaderLocation: { check: (x, loc, s) => expectEnum(s.v, x, loc, 'CSVHeaderLocation', ['FIRST_ROW', 'GIVEN']) },
  CSVHeaders: {
    check: (x, loc, s) => {
      if (expectArray(s.v, x, loc)) x.forEach((h, i) => expectString(s.v, h, `${loc}[${i}]`));
    },
  },
  CSVDelimiter: {
    check: (x, loc, s) => expectEnum(s.v, x, loc, 'CSVDelimiter', ['COMMA', 'PIPE', 'SEMICOLON', 'SPACE', 'TAB']),
  },
  MaxItems: { check: (x, loc, s) => scalarInteger(s, x, loc, 0, 100_000_000) },
  MaxItemsPath: { lang: 'JSONPath', check: (x, loc, s) => checkReferencePathField(s.v, x, loc, 'MaxItemsPath') },
  ManifestType: { check: (x, loc, s) => expectString(s.v, x, loc) },
});

const ITEM_READER = table<StateCtx>({
  Resource: { check: (x, loc, s) => resourceField(s, x, loc) },
  Parameters: { lang: 'JSONPath', check: (x, loc, s) => template(s, x, loc) },
  Arguments: { lang: 'JSONata', check: (x, loc, s) => jsonataArguments(s, x, loc) },
  ReaderConfig: {
    check: (x, loc, s) => {
      if (!expectObject(s.v, x, loc)) return;
      const keys = admitFields(s.v, x, loc, READER_CONFIG, s.ql);
      exclusive(s.v, x, loc, 'MaxItems', 'MaxItemsPath');
      if (x.CSVHeaderLocation === 'GIVEN') requireFields(s.v, x, loc, ['CSVHeaders']);
      checkFields(x, loc, READER_CONFIG, keys, s);
    },
  },
});

const BATCH_SIZE_FIELDS = ['MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'];

const ITEM_BATCHER = table<StateCtx>({
  MaxItemsPerBatch: { check: (x, loc, s) => scalarInteger(s, x, loc, 1, MAX) },
  MaxItemsPerBatchPath: { lang: 'JSONPath', check: (x, loc, s) => checkReferencePathField(s.v, x, loc, 'MaxItemsPerBatchPath') },
  MaxInputBytesPerBatch: { check: (x, loc, s) => scalarInteger(s, x, loc, 1, 262_144) },
  MaxInputBytesPerBatchPath: {
    lang: 'JSONPath',
    check: (x, loc, s) => checkReferencePathField(s.v, x, loc, 'MaxInputBytesPerBatchPath'),
  },
  BatchInput: {
    check: (x, loc, s) => {
      if (!expectObject(s.v, x, loc)) return;
      if (s.ql === 'JSONata') checkJsonataValue(s.v, x, loc, {});
      else checkPayloadTemplate(s.v, x, loc);
    },
  },
});

const WRITER_CONFIG = table<StateCtx>({
  Transformation: { check: (x, loc, s) => expectEnum(s.v, x, loc, 'Transformation', ['NONE', 'COMPACT', 'FLATTEN']) },
  OutputType: { check: (x, loc, s) => expectEnum(s.v, x, loc, 'OutputType', ['JSON', 'JSONL']) },
});

const RESULT_WRITER = table<StateCtx>({
  Resource: { check: (x, loc, s) => resourceField(s, x, loc) },
  Parameters: { lang: 'JSONPath', check: (x, loc, s) => template(s, x, loc) },
  Arguments: { lang: 'JSONata', check: (x, loc, s) => jsonataArguments(s, x, loc) },
  WriterConfig: {
    check: (x, loc, s) => {
      if (!expectObject(s.v, x, loc)) return;
      checkFields(x, loc, WRITER_CONFIG, admitFields(s.v, x, loc, WRITER_CONFIG, s.ql), s);
    },
  },
});

/** A sub-object of Map checked by a field table. */
function subObject(fields: typeof ITEM_READER, before?: (s: StateCtx, x: JsonObject, loc: string) => void): Spec {
  return {
    check: (x, loc, s) => {
      if (!expectObject(s.v, x, loc)) return;
      const keys = admitFields(s.v, x, loc, fields, s.ql);
      before?.(s, x, loc);
      checkFields(x, loc, fields, keys, s);
    },
  };
}

export const MAP_FIELDS: Record<string, Spec> = {
  ItemProcessor: { check: (x, loc, s) => checkProcessor(s, x, loc) },
  Iterator: { check: (x, loc, s) => checkProcessor(s, x, loc) },
  ItemsPath: { lang: 'JSONPath', check: (x, loc, s) => checkReferencePathField(s.v, x, loc, 'ItemsPath') },
  Items: {
    lang: 'JSONata',
    check: (x, loc, s) => {
      if (Array.isArray(x)) checkJsonataValue(s.v, x, loc, {});
      else if (typeof x === 'string' && x.trimStart().startsWith('{%')) checkJsonataString(s.v, x, loc, {});
      else if (isObject(x) && isDistributed(s.obj)) checkJsonataValue(s.v, x, loc, {});
      else s.v.schema(typeMessage('Array'), loc);
    },
  },
  ItemSelector: {
    check: (x, loc, s) => {
      if (s.ql === 'JSONata') checkJsonataValue(s.v, x, loc, {});
      else template(s, x, loc);
    },
  },
  MaxConcurrency: { check: (x, loc, s) => scalarInteger(s, x, loc, 0, MAX) },
  MaxConcurrencyPath: { lang: 'JSONPath', check: (x, loc, s) => checkReferencePathField(s.v, x, loc, 'MaxConcurrencyPath') },
  ToleratedFailurePercentage: { check: (x, loc, s) => scalarNumber(s, x, loc, 0, 100) },
  ToleratedFailurePercentagePath: {
    lang: 'JSONPath',
    check: (x, loc, s) => checkReferencePathField(s.v, x, loc, 'ToleratedFailurePercentagePath'),
  },
  ToleratedFailureCount: { check: (x, loc, s) => scalarInteger(s, x, loc, 0, MAX) },
  ToleratedFailureCountPath: {
    lang: 'JSONPath',
    check: (x, loc, s) => checkReferencePathField(s.v, x, loc, 'ToleratedFailureCountPath'),
  },
  Label: {
    check: (x, loc, s) => {
      if (expectString(s.v, x, loc)) checkLabel(s.v, x, loc);
    },
  },
  ItemReader: subObject(ITEM_READER, (s, x, loc) => requireFields(s.v, x, loc, ['Resource'])),
  ItemBatcher: subObject(ITEM_BATCHER, (s, x, loc) => {
    if (!BATCH_SIZE_FIELDS.some((f) => has(x, f))) {
      s.v.schema(`At least one of the fields [${BATCH_SIZE_FIELDS.join(', ')}] is required`, objectLocation(loc));
    }
    exclusive(s.v, x, loc, 'MaxItemsPerBatch', 'MaxItemsPerBatchPath');
    exclusive(s.v, x, loc, 'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath');
  }),
  ResultWriter: subObject(RESULT_WRITER, (s, x, loc) => {
    if (!has(x, 'Resource') && !has(x, 'WriterConfig')) requireFields(s.v, x, loc, ['Resource']);
    if (!has(x, 'Resource') && (has(x, 'Parameters') || has(x, 'Arguments'))) requireFields(s.v, x, loc, ['Resource']);
  }),
};

const DISTRIBUTED_ONLY = ['ItemReader', 'ItemBatcher', 'ResultWriter'] as const;

/** Object-level Map rules. */
export function checkMapState(s: StateCtx): void {
  const o = s.obj;
  if (has(o, 'ItemProcessor') && has(o, 'Iterator')) exclusive(s.v, o, s.loc, 'ItemProcessor', 'Iterator');
  else if (!has(o, 'Iterator')) requireFields(s.v, o, s.loc, ['ItemProcessor']);
  exclusive(s.v, o, s.loc, 'ItemSelector', 'Parameters');
  exclusive(s.v, o, s.loc, 'MaxConcurrency', 'MaxConcurrencyPath');
  exclusive(s.v, o, s.loc, 'ToleratedFailureCount', 'ToleratedFailureCountPath');
  exclusive(s.v, o, s.loc, 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath');
  const distributed = isDistributed(o);
  if (distributed && s.scope.express) s.v.schema('Express state machine does not support Distributed Map', s.loc);
  if (!distributed) {
    for (const f of DISTRIBUTED_ONLY) {
      if (has(o, f)) s.v.schema(`Field '${f}' is only supported in a Distributed Map (ProcessorConfig Mode 'DISTRIBUTED')`, s.loc);
    }
  }
  checkNextOrEnd(s, o);
}
