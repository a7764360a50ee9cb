import { describe, expect, it } from 'vitest';
import { isoTimestamp } from './context-object.js';

// AWS renders `$$.Execution.StartTime` and `$$.State.EnteredTime` with the milliseconds' trailing
// zeros dropped.
describe('isoTimestamp', () => {
  const at = (ms: number) => Date.UTC(2026, 10, 22, 10, 23, 1, ms);

  it.each([
    [123, '2026-11-22T10:23:01.123Z'],
    [120, '2026-11-22T10:23:01.12Z'],
    [100, '2026-11-22T10:23:01.1Z'],
    [10, '2026-11-22T10:23:01.01Z'],
    [1, '2026-11-22T10:23:01.001Z'],
    [0, '2026-11-22T10:23:01Z'],
  ])('renders %i ms as %s', (ms, text) => {
    expect(isoTimestamp(at(ms))).toBe(text);
  });

  it('gives the right text when called again with the same or another time', () => {
    expect(isoTimestamp(at(500))).toBe('2026-11-22T10:23:01.5Z');
    expect(isoTimestamp(at(500))).toBe('2026-11-22T10:23:01.5Z');
    expect(isoTimestamp(at(0))).toBe('2026-11-22T10:23:01Z');
    expect(isoTimestamp(at(1999))).toBe('2026-11-22T10:23:02.999Z');
    expect(isoTimestamp(at(1999) + 1)).toBe('2026-11-22T10:23:03Z');
  });

  it('agrees with Date for times before 1970 and past year 9999', () => {
    for (const ms of [-1, -1000, -1001, Date.UTC(12000, 0, 1, 0, 0, 0, 250)]) {
      expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z'));
    }
  });
});
