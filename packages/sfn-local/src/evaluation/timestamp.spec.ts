import { describe, expect, it } from 'vitest';
import { compareInstants, isTimestamp, parseTimestamp } from './timestamp.js';

describe('RFC 3339 timestamps', () => {
  it('timestamps need a T separator and a Z or numeric offset', () => {
    expect(isTimestamp('2016-03-14T01:59:00Z')).toBe(true);
    expect(isTimestamp('2016-03-14T01:59:00+05:30')).toBe(true);
    expect(isTimestamp('2016-03-14t01:59:00z')).toBe(true);
    expect(isTimestamp('2016-03-14 01:59:00Z')).toBe(false);
    expect(isTimestamp('2016-03-14T01:59:00')).toBe(false);
    expect(isTimestamp('2016-03-14')).toBe(false);
    expect(isTimestamp(20160314)).toBe(false);
  });

  it('timestamps with impossible dates or times are rejected', () => {
    expect(isTimestamp('2023-02-29T00:00:00Z')).toBe(false);
    expect(isTimestamp('2024-02-29T00:00:00Z')).toBe(true);
    expect(isTimestamp('2024-13-01T00:00:00Z')).toBe(false);
    expect(isTimestamp('2024-01-01T24:00:00Z')).toBe(false);
    expect(isTimestamp('2024-01-01T00:60:00Z')).toBe(false);
  });

  it('timestamps compare as instants, to the nanosecond', () => {
    const a = parseTimestamp('2024-01-01T00:00:00.000000001Z')!;
    const b = parseTimestamp('2024-01-01T00:00:00Z')!;
    expect(compareInstants(a, b)).toBeGreaterThan(0);
    expect(compareInstants(parseTimestamp('2024-01-01T02:00:00+02:00')!, b)).toBe(0);
  });

  it('timestamps keep years below 100 literal', () => {
    expect(parseTimestamp('0001-01-01T00:00:00Z')!.seconds).toBe(-62135596800);
  });
});
