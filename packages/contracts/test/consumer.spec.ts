/**
 * Uses the package the way another team would: the BUILT output (`dist/`), resolved through
 * `node_modules` → `package.json` `exports`, without the `@saga/source` condition.
 * `nx test` builds first (the test target depends on `build`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as built from '../dist/index.js';

const packageRoot = realpathSync(resolve(dirname(fileURLToPath(import.meta.url)), '..'));
const tscPath = createRequire(import.meta.url).resolve('typescript/lib/tsc.js');
const TIMEOUT = 60_000;

describe('the built module', () => {
  it('exports the runtime API', () => {
    expect(Object.keys(built)).toEqual(
      expect.arrayContaining(['parseOrder', 'orderTotal', 'SagaErrors', 'SagaError', 'isRetriable', 'dispositionOf', 'SagaSteps', 'ReviewOutcomes']),
    );
  });

  it('parses orders and throws the named, PII-free InvalidOrder', () => {
    const order = built.parseOrder(validOrderJson());
    expect(built.orderTotal(order)).toBe(2500);
    const error = (() => {
      try {
        built.parseOrder({ ...order, customer: { ...order.customer, name: 'x'.repeat(500) } });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(built.InvalidOrderError);
    expect(built.isSagaError(error, 'InvalidOrder')).toBe(true);
    expect((error as Error).message).toBe('Invalid order: 1 issue: customer.name too_big (string maximum 200)');
  });

  it('answers taxonomy questions', () => {
    expect(built.isRetriable('CarrierRateLimited')).toBe(true);
    expect(built.dispositionOf('CarrierResponseInvalid')).toBe('escalate');
    expect(built.dispositionOf('Unheard.Of')).toBe('escalate');
  });
});

describe('an outside TypeScript project', () => {
  let project: string;

  beforeAll(() => {
    if (!existsSync(join(packageRoot, 'dist/index.d.ts'))) {
      throw new Error('dist/ is missing: run `npx nx build @saga/contracts` (nx test does this first)');
    }
    project = mkdtempSync(join(tmpdir(), 'saga-contracts-consumer-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    // Installed the way npm links a workspace package; zod and @types/node as a Node consumer has them.
    mkdirSync(join(project, 'node_modules/@saga'), { recursive: true });
    mkdirSync(join(project, 'node_modules/@types'), { recursive: true });
    symlinkSync(packageRoot, join(project, 'node_modules/@saga/contracts'), 'dir');
    symlinkSync(installed('zod/package.json'), join(project, 'node_modules/zod'), 'dir');
    symlinkSync(installed('@types/node/package.json'), join(project, 'node_modules/@types/node'), 'dir');
    writeFileSync(join(project, 'consumer.ts'), CONSUMER);
    writeFileSync(join(project, 'consumer-bad.ts'), CONSUMER_BAD);
    writeFileSync(join(project, 'readme-example.ts'), readmeExample());
    const compilerOptions = {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      lib: ['es2023'],
      types: ['node'],
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: false,
      outDir: 'out',
      // Deliberately no `customConditions` and no `paths`.
    };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.ts', 'readme-example.ts'] }));
    writeFileSync(join(project, 'tsconfig.bad.json'), JSON.stringify({ compilerOptions: { ...compilerOptions, noEmit: true }, files: ['consumer-bad.ts'] }));
  });

  afterAll(() => {
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it(
    'type-checks against dist/*.d.ts through the exports map',
    () => {
      const result = tsc(project, ['-p', 'tsconfig.json', '--listFiles']);
      expect(result.output).not.toMatch(/error TS/);
      expect(result.status).toBe(0);
      const files = result.output.split('\n').map((line) => line.trim());
      expect(files).toContain(join(packageRoot, 'dist/index.d.ts'));
      expect(files.filter((file) => file.startsWith(join(packageRoot, 'src')))).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'reports type errors for misuse',
    () => {
      const result = tsc(project, ['-p', 'tsconfig.bad.json']);
      expect(result.status).not.toBe(0);
      const errors = result.output.split('\n').filter((line) => line.includes('error TS'));
      expect(errors).toEqual([
        expect.stringMatching(/^consumer-bad\.ts\(3,\d+\): error TS2322: Type '"NoSuchError"' is not assignable to type '.*"OutOfStock"/),
        expect.stringMatching(/^consumer-bad\.ts\(4,\d+\): error TS2345: Argument of type '"Nope"' is not assignable/),
        expect.stringMatching(/^consumer-bad\.ts\(5,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/),
        // The order tsc prints a union in follows where its literals first appear in the declarations.
        expect.stringMatching(/^consumer-bad\.ts\(6,\d+\): error TS\d+: Type '"refund"' is not assignable to type '(?:"refunded" \| "canceled"|"canceled" \| "refunded") \| "noop"'/),
      ]);
    },
    TIMEOUT,
  );

  // Runs the JavaScript the type-check test above emitted into out/ (tests in a file run in order).
  it(
    'runs on plain Node (no source condition), including the README example',
    () => {
      const run = spawnSync(process.execPath, ['out/readme-example.js'], { cwd: project, encoding: 'utf8', env: plainNodeEnv() });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('charge 2500 gbp');
      expect(run.stdout).toContain('InvalidOrder Invalid order: 1 issue: customer.email invalid_format (email)');
      expect(run.stdout).toContain('CarrierRateLimited true escalate');

      const resolved = spawnSync(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('@saga/contracts'))"], {
        cwd: project,
        encoding: 'utf8',
        env: plainNodeEnv(),
      });
      // Node follows the symlink: the import condition picked dist/, not src/.
      expect(resolved.stdout.trim()).toBe(pathToFileURL(join(packageRoot, 'dist/index.js')).href);
    },
    TIMEOUT,
  );
});

/** The caller's environment without Node flags or forced colours (Nx sets FORCE_COLOR). */
function plainNodeEnv(): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _options, FORCE_COLOR: _color, ...env } = process.env;
  return { ...env, NO_COLOR: '1' };
}

/** The directory of an installed package, from the workspace's node_modules. */
function installed(packageJson: string): string {
  return dirname(realpathSync(createRequire(import.meta.url).resolve(packageJson)));
}

function tsc(cwd: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [tscPath, ...args], { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The first ```ts block of the README. */
function readmeExample(): string {
  const readme = readFileSync(join(packageRoot, 'README.md'), 'utf8');
  const match = /```ts\n([\s\S]*?)```/.exec(readme);
  if (!match?.[1]) throw new Error('README.md has no ```ts example');
  return match[1];
}

function validOrderJson(): unknown {
  return {
    orderId: 'ord_1',
    customer: {
      id: 'cus_1',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      shippingAddress: { line1: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    },
    lines: [{ sku: 'BOOK-001', quantity: 2, unitPrice: 1250 }],
    currency: 'gbp',
    payment: { paymentMethodId: 'pm_card_visa' },
  };
}

const CONSUMER = `import {
  OrderSchema,
  ReviewOutcomeSchema,
  ReviewOutcomes,
  SagaError,
  SagaErrors,
  SagaSteps,
  StepContracts,
  dispositionOf,
  isSagaError,
  orderTotal,
  parseLambdaCause,
  parseOrder,
  putEventsEntry,
  type ErrorAnalysis,
  type Order,
  type RefundPaymentOutput,
  type ReviewOutcome,
  type SagaDisposition,
  type SagaErrorName,
  type SagaState,
  type StepInput,
  type StepOutput,
} from '@saga/contracts';
import { z } from 'zod';

// The structural type the DSL's saga() construct consumes.
declare function saga<E extends string>(errors: Record<E, { retriable: boolean; onFailure: 'compensate' | 'escalate' | 'terminal' }>): E[];
const names: SagaErrorName[] = saga(SagaErrors);

const order: Order = parseOrder(JSON.parse('{}'));
const viaZod: z.infer<typeof OrderSchema> = order;
const total: number = orderTotal(viaZod);
const disposition: SagaDisposition = dispositionOf('States.Timeout');

const error = new SagaError('OutOfStock', 'none left', { cause: new Error('x') });
const name: 'OutOfStock' = error.name;
const thrown: unknown = error;
if (isSagaError(thrown, 'PaymentDeclined')) {
  const declined: 'PaymentDeclined' = thrown.name;
  void declined;
}

async function reserveStock(event: unknown): Promise<StepOutput<'ReserveStock'>> {
  const input: StepInput<'ReserveStock'> = StepContracts.ReserveStock.input.parse(event);
  return { reservationId: 'res_' + input.order.orderId, lines: input.order.lines.map(({ sku, quantity }) => ({ sku, quantity })) };
}

function describeRefund(result: RefundPaymentOutput): string {
  switch (result.outcome) {
    case 'refunded': return result.refundId;
    case 'canceled': return result.paymentIntentId;
    case 'noop': return 'nothing to undo';
  }
}

function model(analysis: ErrorAnalysis): string | undefined {
  return analysis.source === 'bedrock' ? analysis.modelId : analysis.llmFallback;
}

const decision: ReviewOutcome = ReviewOutcomeSchema.parse({ outcome: ReviewOutcomes.Retry, reviewer: 'sam', decidedAt: '2026-11-22T10:00:00Z' });
const state: SagaState = { order, review: decision };
const step: typeof SagaSteps.WaitForHumanReview = 'WaitForHumanReview';
const cause: string | undefined = parseLambdaCause(undefined)?.errorMessage;
const entry = putEventsEntry('OrderAwaitingReview', {
  orderId: order.orderId, executionArn: 'arn', failedStep: 'BookShipment', error: 'CarrierResponseInvalid', requestedAt: '2026-11-22T10:00:00Z',
});

export { names, total, disposition, name, reserveStock, describeRefund, model, state, step, cause, entry };
`;

const CONSUMER_BAD = `import { SagaError, parseOrder, type RefundPaymentOutput, type SagaErrorName } from '@saga/contracts';

const bad: SagaErrorName = 'NoSuchError';
new SagaError('Nope', 'x');
const s: string = parseOrder({}).lines.length;
const outcome: RefundPaymentOutput = { outcome: 'refund' };

export { bad, s, outcome };
`;
