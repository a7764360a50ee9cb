import { describe, expect, test } from 'vitest';
import { fn, machine } from './support.js';

describe('variables (Assign)', () => {
  test('a value assigned in a state is visible from the next state on', async () => {
    const m = machine({
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { 'who.$': '$.name', count: 1 }, Next: 'B' },
        B: { Type: 'Pass', Parameters: { 'who.$': '$who', 'count.$': '$count' }, End: true },
      },
    });
    expect(await m.run({ name: 'ann' })).toMatchObject({ output: { who: 'ann', count: 1 } });
  });

  test('Assign sees the values as of state entry, not those it assigns', async () => {
    const m = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { x: 1 }, Next: 'B' },
        B: { Type: 'Pass', Assign: { x: '{% $x + 1 %}', y: '{% $x %}' }, Output: '{% $x %}', Next: 'C' },
        C: { Type: 'Pass', Output: '{% {"x": $x, "y": $y} %}', End: true },
      },
    });
    const r = await m.run({});
    expect(r).toMatchObject({ output: { x: 2, y: 1 } });
    expect(r.history.find((e) => e.type === 'PassStateExited' && e.stateExitedEventDetails.name === 'B')).toMatchObject({
      stateExitedEventDetails: { output: '1', assignedVariables: { x: '2', y: '1' } },
    });
  });

  test('a Parallel branch reads outer variables; its own assignments stay in the branch', async () => {
    const m = machine({
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Assign: { outer: 'o' }, Next: 'P' },
        P: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'In',
              States: {
                In: { Type: 'Pass', Assign: { inner: 'i' }, Next: 'Read' },
                Read: { Type: 'Pass', Parameters: { 'outer.$': '$outer', 'inner.$': '$inner' }, End: true },
              },
            },
          ],
          Next: 'After',
        },
        After: { Type: 'Pass', Parameters: { 'outer.$': '$outer', 'branch.$': '$[0]' }, End: true },
      },
    });
    expect(await m.run({})).toMatchObject({ output: { outer: 'o', branch: { outer: 'o', inner: 'i' } } });
  });

  test('a catcher Assign runs instead of the state Assign, with $ the Error Output', async () => {
    const m = machine(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: fn('f'),
            Assign: { fromState: true },
            Catch: [{ ErrorEquals: ['States.ALL'], Assign: { 'failed.$': '$.Error' }, ResultPath: null, Next: 'R' }],
            End: true,
          },
          R: { Type: 'Pass', Parameters: { 'failed.$': '$failed' }, End: true },
        },
      },
      { f: () => { const e = new Error('x'); e.name = 'Oops'; throw e; } },
    );
    expect(await m.run({})).toMatchObject({ output: { failed: 'Oops' } });
  });
});

describe('JSONata', () => {
  test('Arguments, $states.result in Output, a Condition, and Output defaulting to the result', async () => {
    const m = machine(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'Charge',
        States: {
          Charge: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Arguments: { FunctionName: fn('f'), Payload: { 'amount': '{% $states.input.amount * 100 %}' } },
            Output: '{% $merge([$states.input, {"cents": $states.result.Payload.cents}]) %}',
            Next: 'Check',
          },
          Check: {
            Type: 'Choice',
            Choices: [{ Condition: '{% $states.input.cents > 1000 %}', Next: 'Big', Output: '{% "big" %}' }],
            Default: 'Small',
          },
          Big: { Type: 'Succeed' },
          Small: { Type: 'Succeed', Output: '{% "small" %}' },
        },
      },
      { f: (e) => ({ cents: (e as { amount: number }).amount }) },
    );
    expect(await m.run({ amount: 12.5 })).toMatchObject({ status: 'SUCCEEDED', output: 'big' });
    expect(await m.run({ amount: 1 })).toMatchObject({ status: 'SUCCEEDED', output: 'small' });
  });

  test('an evaluation error is States.QueryEvaluationError, catchable', async () => {
    const m = machine({
      QueryLanguage: 'JSONata',
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: fn('f'),
          Arguments: '{% $undefinedVariable.x %}',
          Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Next: 'Caught', Output: '{% $states.errorOutput.Error %}' }],
          End: true,
        },
        Caught: { Type: 'Succeed' },
      },
    }, { f: () => 1 });
    expect(await m.run({})).toMatchObject({ status: 'SUCCEEDED', output: 'States.QueryEvaluationError' });
  });
});
