import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';

/**
 * jsonata is loaded on the first JSONata expression, by the validator or the engine, and required
 * rather than imported (an `import` of a CommonJS package makes Node scan its source for named
 * exports first). Checked in a fresh Node process on the built package (what users import; the
 * test target builds it first), since the module cache is per process.
 */
const dist = join(import.meta.dirname, '../dist/index.js');

const script = `
import { createRequire } from 'node:module';
import { localStateMachine, createLambdaResolver, LambdaRegistry } from ${JSON.stringify(dist)};
const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => /[\\\\/]jsonata[\\\\/]jsonata\\.js$/.test(k));
const resolve = createLambdaResolver(new LambdaRegistry().register('Echo', async (e) => e));
const report = { afterImport: loaded() };
const jsonPath = localStateMachine(
  { StartAt: 'Shape', States: { Shape: { Type: 'Pass', Parameters: { 'id.$': '$.orderId' }, Next: 'Call' },
    Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Echo', End: true } } },
  { resolve },
);
const a = await jsonPath.run({ orderId: 'o-1' });
report.jsonPath = { status: a.status, output: a.output, loaded: loaded() };
const jsonata = localStateMachine(
  { QueryLanguage: 'JSONata', StartAt: 'Shape', States: { Shape: { Type: 'Pass', Output: '{% { "id": $uppercase($states.input.orderId) } %}', End: true } } },
  { resolve },
);
report.validatedJsonata = loaded();
const b = await jsonata.run({ orderId: 'o-2' });
report.jsonata = { status: b.status, output: b.output, loaded: loaded() };
console.log(JSON.stringify(report));
`;

describe('loading jsonata', () => {
  test('a machine written in JSONPath never loads jsonata; the first JSONata definition does, and runs', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { timeout: 15_000 });
    expect(JSON.parse(stdout)).toEqual({
      afterImport: false,
      jsonPath: { status: 'SUCCEEDED', output: { id: 'o-1' }, loaded: false },
      // Validating the JSONata definition (@saga/asl) parses its expression: that loads it.
      validatedJsonata: true,
      jsonata: { status: 'SUCCEEDED', output: { id: 'O-2' }, loaded: true },
    });
  });
});
