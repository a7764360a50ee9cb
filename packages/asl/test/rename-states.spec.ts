import { describe, expect, test } from 'vitest';
import { renameStates } from '../src/saga/rename-states.js';
import type { Branch } from '../src/index.js';

describe('renameStates', () => {
  test('renames every state and every reference, nested branches and Map processors included', () => {
    const original: Branch = {
      Comment: 'kept',
      StartAt: 'Check',
      States: {
        Check: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Fan' }], Default: 'Done' },
        Fan: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Inner', States: { Inner: { Type: 'Pass', End: true } } }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }],
          Next: 'Each',
        },
        Each: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Wait', Seconds: 1, End: true } } },
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    };
    const renamed = renameStates(original, (n) => `${n}X`);
    expect(renamed).toEqual({
      Comment: 'kept',
      StartAt: 'CheckX',
      States: {
        CheckX: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'FanX' }], Default: 'DoneX' },
        FanX: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'InnerX', States: { InnerX: { Type: 'Pass', End: true } } }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'DoneX' }],
          Next: 'EachX',
        },
        EachX: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'ItemX', States: { ItemX: { Type: 'Wait', Seconds: 1, End: true } } },
          Next: 'DoneX',
        },
        DoneX: { Type: 'Succeed' },
      },
    });
    expect(original.StartAt).toBe('Check'); // a copy: the original is untouched
  });
});
