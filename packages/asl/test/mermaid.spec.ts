import { describe, expect, test } from 'vitest';
import { toMermaid } from '../src/index.js';
import { buildFulfilmentSaga } from '../examples/fulfilment-saga.js';

describe('toMermaid()', () => {
  const { definition } = buildFulfilmentSaga('parallel');
  const chart = toMermaid(definition);
  const ids = new Map([...chart.matchAll(/^\s+(s\d+)[[({]+"([^"<]+)/gm)].map((m) => [m[2]!, m[1]!]));

  test('draws every state once, Parallel states as subgraphs', () => {
    const names = [...Object.keys(definition.States)];
    for (const name of names) expect(ids.has(name) || chart.includes(`"${name} (Parallel)"`)).toBe(true);
    expect(chart).toMatch(/subgraph s\d+\["CompensateThroughReserveStock \(Parallel\)"\]/);
    expect(chart.startsWith('flowchart TD\n')).toBe(true);
  });

  test('draws Next as solid edges, Catch as dotted edges labelled with the errors', () => {
    expect(chart).toContain(`${ids.get('ChargePayment')} --> ${ids.get('ReserveStock')}`);
    expect(chart).toContain(`${ids.get('BookShipment')} -.->|"States.ALL"| ${ids.get('AnalyzeError')}`);
    expect(chart).toMatch(new RegExp(`${ids.get('ChooseAfterReview')} -->\\|"default"\\| s\\d+`));
  });

  test('highlights the states and edges of an execution path', () => {
    const path = ['ChargePayment', 'ReserveStock', 'BookShipment', 'AnalyzeError'];
    const highlighted = toMermaid(definition, { highlight: path });
    const classLine = highlighted.split('\n').find((l) => l.includes('visited') && l.trim().startsWith('class '));
    expect(classLine?.trim()).toBe(`class ${path.map((p) => ids.get(p)).join(',')} visited`);
    expect(highlighted).toMatch(/linkStyle (\d+,){3}\d+ stroke:#1565c0/);
  });

  test('escapes quotes and markup in names', () => {
    const chart2 = toMermaid({ StartAt: 'Say "hi" <b>', States: { 'Say "hi" <b>': { Type: 'Succeed' } } });
    expect(chart2).toContain('"Say #34;hi#34; #60;b#62;"');
  });
});
