import { formatFault, parseKind, span, type Fault } from './faults.js';
import { SITE_NAMES, type SiteName } from './sites.js';

/**
 * A schedule: the faults an order meets (each at an attempt of a site) and what the reviewer does
 * at each WaitForHumanReview the order reaches, in order. A schedule whose order reaches review with
 * no decision left ends there: the order is left waiting for a person.
 *
 * Text form (what the report prints and `--replay` takes):
 * `ChargePayment#1 unknown, RefundPayment#1 permanent(CompensationFailed) | review: compensate, retry`
 */

/** What the reviewer does with a review: answer it (SendTaskSuccess) with an outcome, or let its token expire. */
export type ReviewChoice = 'retry' | 'compensate' | 'fail' | 'expire';
export const REVIEW_CHOICES: readonly ReviewChoice[] = ['retry', 'compensate', 'fail', 'expire'];

export interface Schedule {
  readonly faults: readonly Fault[];
  readonly reviews: readonly ReviewChoice[];
}

export const EMPTY_SCHEDULE: Schedule = { faults: [], reviews: [] };

/** How many faults: the schedule's depth (reviewer decisions do not count). */
export function depthOf(s: Schedule): number {
  return s.faults.length;
}

/** Decisions in all: the size a shortest reproduction minimises (faults first, then reviews). */
export function sizeOf(s: Schedule): [number, number] {
  return [s.faults.length, s.reviews.length];
}

export function compareSize(a: Schedule, b: Schedule): number {
  const [fa, ra] = sizeOf(a);
  const [fb, rb] = sizeOf(b);
  return fa - fb || ra - rb || formatSchedule(a).length - formatSchedule(b).length;
}

export function formatSchedule(s: Schedule): string {
  const faults = s.faults.length === 0 ? 'no fault' : s.faults.map(formatFault).join(', ');
  return s.reviews.length === 0 ? faults : `${faults} | review: ${s.reviews.join(', ')}`;
}

/** The schedule's identity (its text form is canonical: faults in the order they are met). */
export const scheduleKey = formatSchedule;

export function parseSchedule(text: string): Schedule {
  const [faultText = '', reviewText] = text.split('|');
  const faults: Fault[] = [];
  if (faultText.trim() !== 'no fault' && faultText.trim() !== '') {
    for (const part of faultText.split(',')) {
      const m = /^\s*(\w+)#(\d+)\s+(.+?)\s*$/.exec(part);
      if (!m || !(SITE_NAMES as string[]).includes(m[1]!)) throw new Error(`not a fault: '${part.trim()}' (Site#attempt kind)`);
      faults.push({ site: m[1] as SiteName, attempt: Number(m[2]), kind: parseKind(m[3]!) });
    }
  }
  const reviews: ReviewChoice[] = [];
  if (reviewText !== undefined) {
    const body = reviewText.replace(/^\s*review:/, '');
    for (const c of body
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)) {
      if (!(REVIEW_CHOICES as string[]).includes(c)) throw new Error(`not a review choice: '${c}' (${REVIEW_CHOICES.join(', ')})`);
      reviews.push(c as ReviewChoice);
    }
  }
  for (const [i, f] of faults.entries()) {
    for (const g of faults.slice(i + 1)) {
      if (f.site === g.site && f.attempt < g.attempt + span(g.kind) && g.attempt < f.attempt + span(f.kind)) {
        throw new Error(`faults overlap: ${formatFault(f)} and ${formatFault(g)}`);
      }
    }
  }
  return { faults, reviews };
}
