import { describe, expect, it } from 'vitest';
import { diagramSvg, transitions } from '../src/ui/diagram-svg.js';

const definition = {
  StartAt: 'A',
  States: {
    A: { Type: 'Task', Next: 'Pick', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Failed' }] },
    Pick: { Type: 'Choice', Choices: [{ Variable: '$.x', StringEquals: 'again', Next: 'A' }], Default: 'Done' },
    Done: { Type: 'Succeed' },
    Failed: { Type: 'Fail', Error: 'Boom' },
  },
};

describe('the SVG diagram', () => {
  it('finds every transition: Next, Choices, Default, Catch', () => {
    expect(transitions(definition)).toEqual([
      { from: 'A', to: 'Pick', kind: 'next' },
      { from: 'A', to: 'Failed', kind: 'catch' },
      { from: 'Pick', to: 'A', kind: 'next' },
      { from: 'Pick', to: 'Done', kind: 'next' },
    ]);
  });

  it('highlights the states entered and the transitions taken; the last state is current', () => {
    const svg = diagramSvg(definition, ['A', 'Pick', 'A', 'Pick', 'Done']).text;
    expect(svg.match(/class="state [a-z]+ visited/g)).toHaveLength(3);
    expect(svg).toContain('class="state succeed visited current"');
    expect(svg).toContain('class="state fail"');
    expect(svg.match(/class="edge taken"/g)).toHaveLength(4); // start→A, A→Pick, Pick→A, Pick→Done
    expect(svg).toContain('class="edge catch"');
    expect(svg).not.toContain('<script');
  });

  it('escapes state names', () => {
    const svg = diagramSvg({ StartAt: '<x>', States: { '<x>': { Type: 'Pass', End: true } } }, []).text;
    expect(svg).not.toContain('<x>');
    expect(svg).toContain('&#60;x&#62;');
  });
});
