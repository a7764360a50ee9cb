import type { Order } from '@saga/contracts';
import { seededRandom } from '@saga/sfn-local';
import type { CarrierFaultInput } from '@saga/testkit';

/**
 * What the demo batch throws at the saga: one scenario per kind of trouble, each arranging its fault
 * on the local stand-ins (the carrier stub's script for the order, a declining test card, a SKU
 * that is out of stock) and saying how the order must end.
 */

/** How an order ends: the three outcomes the saga promises. */
export type Outcome = 'succeeded' | 'compensated' | 'awaiting review';

/** The shop's catalogue on the local stock table: SKU → unit price (minor unit) and starting stock. */
export const CATALOGUE = {
  'BOOK-1': { unitPrice: 1250, stock: 100_000 },
  'MUG-2': { unitPrice: 899, stock: 100_000 },
  'LAMP-3': { unitPrice: 4500, stock: 100_000 },
  /** Never in stock: ReserveStock answers OutOfStock. */
  'RARE-9': { unitPrice: 99_900, stock: 0 },
} as const satisfies Record<string, { unitPrice: number; stock: number }>;
export type Sku = keyof typeof CATALOGUE;

export interface Scenario {
  readonly name: string;
  /** What a reader of the summary is told. */
  readonly description: string;
  readonly expected: Outcome;
  /** The carrier stub's answers to this order's bookings, in order (absent: it books at once). */
  readonly carrier?: readonly CarrierFaultInput[];
  readonly paymentMethodId: string;
  /** Lines besides the normal ones (e.g. a SKU out of stock). */
  readonly extraLines?: readonly Sku[];
}

export const SCENARIOS = {
  happy: { name: 'happy', description: 'everything works', expected: 'succeeded', paymentMethodId: 'pm_card_visa' },
  'carrier-transient': {
    name: 'carrier-transient',
    description: 'carrier answers 429 then 503: retries absorb them',
    expected: 'succeeded',
    carrier: [429, 503],
    paymentMethodId: 'pm_card_mastercard',
  },
  'card-declined': {
    name: 'card-declined',
    description: 'the card is declined: nothing to undo',
    expected: 'compensated',
    paymentMethodId: 'pm_card_chargeDeclined',
  },
  'out-of-stock': {
    name: 'out-of-stock',
    description: 'one line is out of stock: the payment is refunded',
    expected: 'compensated',
    paymentMethodId: 'pm_card_visa',
    extraLines: ['RARE-9'],
  },
  'carrier-rejected': {
    name: 'carrier-rejected',
    description: 'the carrier rejects the shipment (422): stock released, payment refunded',
    expected: 'compensated',
    carrier: [422],
    paymentMethodId: 'pm_card_amex',
  },
  'carrier-malformed': {
    name: 'carrier-malformed',
    description: 'the carrier answers 200 with a body that does not parse: a person decides',
    expected: 'awaiting review',
    carrier: ['malformed'],
    paymentMethodId: 'pm_card_visa',
  },
} as const satisfies Record<string, Scenario>;
export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

/** Which scenarios a batch draws from, with weights. */
export const FAULT_PROFILES = {
  /** Every kind of trouble, most orders fine. The first orders take each scenario once. */
  mixed: { happy: 4, 'carrier-transient': 2, 'card-declined': 1, 'out-of-stock': 1, 'carrier-rejected': 1, 'carrier-malformed': 1 },
  /** No faults at all. */
  none: { happy: 1 },
  /** Only faults that retries absorb. */
  transient: { happy: 1, 'carrier-transient': 1 },
  /** Only failures: compensations and reviews. */
  failures: { 'card-declined': 1, 'out-of-stock': 1, 'carrier-rejected': 1, 'carrier-malformed': 1 },
} as const satisfies Record<string, Partial<Record<ScenarioName, number>>>;
export type FaultProfile = keyof typeof FAULT_PROFILES;
export const FAULT_PROFILE_NAMES = Object.keys(FAULT_PROFILES) as FaultProfile[];

export interface PlannedOrder {
  readonly order: Order;
  readonly scenario: Scenario;
}

const NORMAL_SKUS: readonly Sku[] = ['BOOK-1', 'MUG-2', 'LAMP-3'];

/**
 * The batch: `count` orders named `<prefix>-<n>`, scenarios drawn by weight from the profile with
 * the seed (the engine's seeded generator: the same seed, the same batch); the first orders take each
 * scenario of the profile once, so every outcome shows.
 */
export function planBatch(count: number, options: { seed: number; profile: FaultProfile; prefix: string }): PlannedOrder[] {
  const random = seededRandom(options.seed);
  const weights = Object.entries(FAULT_PROFILES[options.profile]) as Array<[ScenarioName, number]>;
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  const draw = (): ScenarioName => {
    let x = random() * total;
    for (const [name, w] of weights) if ((x -= w) < 0) return name;
    return weights[weights.length - 1]![0];
  };
  return Array.from({ length: count }, (_, i) => {
    const scenario: Scenario = SCENARIOS[i < weights.length ? weights[i]![0] : draw()];
    const lines = NORMAL_SKUS.filter(() => random() < 0.5);
    if (lines.length === 0) lines.push(NORMAL_SKUS[Math.floor(random() * NORMAL_SKUS.length)]!);
    const orderId = `${options.prefix}-${String(i + 1).padStart(4, '0')}`;
    const order: Order = {
      orderId,
      customer: {
        id: `cus_${(i % 37) + 1}`,
        name: `Customer ${(i % 37) + 1}`,
        email: `customer${(i % 37) + 1}@example.com`,
        shippingAddress: { line1: `${i + 1} Demo Street`, city: 'London', postalCode: 'N1 9GU', country: 'GB' },
      },
      lines: [...lines, ...(scenario.extraLines ?? [])].map((sku) => ({
        sku,
        quantity: 1 + Math.floor(random() * 3),
        unitPrice: CATALOGUE[sku].unitPrice,
      })),
      currency: 'gbp',
      payment: { paymentMethodId: scenario.paymentMethodId },
    };
    return { order, scenario };
  });
}
