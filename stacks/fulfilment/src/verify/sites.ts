import { SagaErrorNames, SagaErrors, SagaSteps, type SagaErrorName } from '@saga/contracts';
import { FUNCTION_NAMES, type FunctionName } from '../config.js';
import { onlyResourceOf, readSynthesizedStack, stringAttribute, synthesizedFile } from '../local/terraform.js';

/**
 * The fault sites of the synthesized workflow, read from the very definition the local stack runs
 * (`cdktf.out/stacks/<stack>/cdk.tf.json`): each step and compensation is a site, with the Task
 * states that invoke its function, their Retry blocks and TimeoutSeconds. The fault kinds of a site
 * come from these and from the contracts' error taxonomy (which errors each step raises).
 */

/** A Lambda the saga invokes, named as the workflow names the step. */
export type SiteName =
  | typeof SagaSteps.ChargePayment
  | typeof SagaSteps.ReserveStock
  | typeof SagaSteps.BookShipment
  | typeof SagaSteps.EmitReceipt
  | typeof SagaSteps.RefundPayment
  | typeof SagaSteps.ReleaseStock
  | typeof SagaSteps.AnalyzeError;

/** Site → the function its Task states invoke (the `aws_lambda_function` key). */
export const SITE_FUNCTIONS = {
  ChargePayment: 'charge-payment',
  ReserveStock: 'reserve-stock',
  BookShipment: 'book-shipment',
  EmitReceipt: 'emit-receipt',
  RefundPayment: 'refund-payment',
  ReleaseStock: 'release-stock',
  AnalyzeError: 'analyze-error',
} as const satisfies Record<SiteName, FunctionName>;

export const SITE_NAMES = Object.keys(SITE_FUNCTIONS) as SiteName[];

export const FORWARD_STEPS: readonly SiteName[] = ['ChargePayment', 'ReserveStock', 'BookShipment', 'EmitReceipt'];
export const COMPENSATIONS: readonly SiteName[] = ['RefundPayment', 'ReleaseStock'];

export function siteOfFunction(fn: FunctionName): SiteName {
  const site = SITE_NAMES.find((s) => SITE_FUNCTIONS[s] === fn);
  if (!site) throw new Error(`no site invokes ${fn}`);
  return site;
}

/** One Retry block of a Task state. */
export interface Retrier {
  readonly errorEquals: readonly string[];
  /** `MaxAttempts` (ASL default 3). */
  readonly maxAttempts: number;
}

export interface Site {
  readonly name: SiteName;
  readonly fn: FunctionName;
  /** The Task states that invoke the function (a compensation has one per `CompensateThrough…` branch). */
  readonly states: readonly string[];
  /** The Retry blocks (identical on every state of the site; checked). */
  readonly retriers: readonly Retrier[];
  /** TimeoutSeconds of each state. */
  readonly timeoutSeconds: Readonly<Record<string, number>>;
  /** Taxonomy errors the contracts say this step raises. */
  readonly raises: readonly SagaErrorName[];
}

export interface WorkflowModel {
  readonly sites: Readonly<Record<SiteName, Site>>;
  /** The review Task state: its TimeoutSeconds and HeartbeatSeconds. */
  readonly review: { readonly state: string; readonly timeoutSeconds: number; readonly heartbeatSeconds: number | undefined };
  /** The definition, references unresolved (as synthesized). */
  readonly definition: AslDefinition;
  /**
   * The top-level states that run compensations: a compensation's Task, or a Parallel holding one
   * (`CompensateThrough…`). A step made of several states (ChargePayment's Parallel) is not one.
   */
  readonly compensationStates: ReadonlySet<string>;
}

interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: { FunctionName?: string };
  Retry?: Array<{ ErrorEquals: string[]; MaxAttempts?: number }>;
  TimeoutSeconds?: number;
  HeartbeatSeconds?: number;
  Branches?: AslDefinition[];
}
export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
}

/** Reads the state machine of `cdktf.out/stacks/<stackName>/cdk.tf.json` under `root`. */
export function readWorkflowModel(root: string, stackName: string): WorkflowModel {
  const stack = readSynthesizedStack(synthesizedFile(root, stackName));
  const { name, resource } = onlyResourceOf(stack, 'aws_sfn_state_machine');
  const definition = JSON.parse(stringAttribute(resource, 'definition', `aws_sfn_state_machine.${name}`)) as AslDefinition;
  return workflowModel(definition);
}

/** The sites of a definition whose Lambda FunctionNames are `${aws_lambda_function.<fn>.arn}` references. */
export function workflowModel(definition: AslDefinition): WorkflowModel {
  const byFunction = new Map<FunctionName, Array<[string, AslState]>>();
  let review: WorkflowModel['review'] | undefined;
  const visit = (scope: AslDefinition) => {
    for (const [stateName, state] of Object.entries(scope.States)) {
      if (state.Type === 'Parallel') for (const b of state.Branches ?? []) visit(b);
      if (state.Type !== 'Task') continue;
      if (state.Resource?.endsWith('.waitForTaskToken') && stateName === SagaSteps.WaitForHumanReview) {
        review = { state: stateName, timeoutSeconds: state.TimeoutSeconds ?? 99_999_999, heartbeatSeconds: state.HeartbeatSeconds };
      }
      const ref = /^\$\{aws_lambda_function\.([a-z0-9-]+)\.arn\}$/.exec(state.Parameters?.FunctionName ?? '');
      if (!ref) continue;
      const fn = ref[1] as FunctionName;
      if (!(FUNCTION_NAMES as readonly string[]).includes(fn)) throw new Error(`${stateName} invokes an unknown function ${fn}`);
      byFunction.set(fn, [...(byFunction.get(fn) ?? []), [stateName, state]]);
    }
  };
  visit(definition);
  if (!review) throw new Error(`the definition has no ${SagaSteps.WaitForHumanReview} callback task`);

  const sites = {} as Record<SiteName, Site>;
  for (const name of SITE_NAMES) {
    const fn = SITE_FUNCTIONS[name];
    const states = byFunction.get(fn) ?? [];
    if (states.length === 0) throw new Error(`no Task state of the definition invokes ${fn} (${name})`);
    const retriers = (states[0]![1].Retry ?? []).map((r) => ({ errorEquals: r.ErrorEquals, maxAttempts: r.MaxAttempts ?? 3 }));
    for (const [stateName, state] of states.slice(1)) {
      const other = (state.Retry ?? []).map((r) => ({ errorEquals: r.ErrorEquals, maxAttempts: r.MaxAttempts ?? 3 }));
      if (JSON.stringify(other) !== JSON.stringify(retriers)) {
        throw new Error(`${stateName} retries differently from ${states[0]![0]}: a site's states must share their Retry`);
      }
    }
    sites[name] = {
      name,
      fn,
      states: states.map(([s]) => s),
      retriers,
      timeoutSeconds: Object.fromEntries(states.map(([s, state]) => [s, state.TimeoutSeconds ?? 99_999_999])),
      raises: SagaErrorNames.filter((e) => (SagaErrors[e].steps as readonly string[]).includes(name)),
    };
  }
  const compensationTasks = new Set(COMPENSATIONS.flatMap((c) => sites[c].states));
  const holdsCompensation = (state: AslState): boolean =>
    (state.Branches ?? []).some((b) => Object.entries(b.States).some(([n, s]) => compensationTasks.has(n) || holdsCompensation(s)));
  const compensationStates = new Set(
    Object.entries(definition.States)
      .filter(([name, state]) => compensationTasks.has(name) || holdsCompensation(state))
      .map(([name]) => name),
  );
  return { sites, review, definition, compensationStates };
}
