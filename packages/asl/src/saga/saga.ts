import type {
  Branch,
  ChoiceState,
  JsonPathCatcher,
  JsonPathChoiceRule,
  JsonPathTaskState,
  ParallelState,
  State,
  StateMachineDefinition,
} from '../definition/states.js';
import type { StateMachine } from '../builder/machine.js';
import { fromDefinition } from '../builder/machine.js';
import { DslError } from '../builder/dsl-error.js';
import { sqsSendMessage } from '../builder/integrations/sqs.js';
import type { SagaAction, SagaProps, SagaStep, SagaSubflow, SagaTask } from './saga-props.js';
import { ERROR_INFO_PATH, FAILED_STEP_VARIABLE, isSubflow, SUBFLOW_PAYLOAD_ONLY } from './saga-props.js';
import { renameStates } from './rename-states.js';

/** What the generated machine does on each failure, for tests, docs and fault exploration. */
export interface SagaPlan {
  steps: {
    name: string;
    /** Compensations run, in order, when this step fails with a `compensate` error. */
    onKnownFailure: string[];
    /** Compensations run when a reviewer chooses `compensate` after this step failed (its own included: its outcome is unknown). */
    onReviewCompensate: string[];
  }[];
  /** The names of the generated states, by role. */
  states: {
    analysis: string;
    review: string;
    reviewChoice: string;
    compensateFailedStep: string;
    succeeded: string;
    failed: string;
    notifySuccess?: string;
    notifyFailure?: string;
  };
  /** The errors each step catches to compensate; anything else escalates to review. */
  compensateErrors: string[];
}

export interface Saga<E extends string> {
  machine: StateMachine<E>;
  definition: StateMachineDefinition<E>;
  plan: SagaPlan;
}

/** Review outcomes the generated `ChooseAfterReview` state routes on (`$.review.outcome`). */
export const REVIEW_OUTCOMES = ['retry', 'compensate', 'fail'] as const;

/**
 * Generates a saga state machine:
 * - the forward chain of steps, each with its Retry policy and TimeoutSeconds;
 * - on a `compensate` error at step k, the compensations of steps 1..k-1 (reverse order, or
 *   together in a Parallel), then the failure notification and a Fail with a named error;
 * - on any other error, the analysis step, then a human review (`sqs:sendMessage.waitForTaskToken`)
 *   and a Choice on the reviewer's outcome: retry the failed state, compensate, or fail;
 * - a failing compensation escalates to review too, never swallowed.
 * The failed state's name is kept in the `failedStep` variable, the error at `$.errorInfo`.
 */
export function saga<E extends string>(props: SagaProps<E>): Saga<E> {
  const g = new SagaGraph(props);
  return g.build();
}

/** Where a generated Task or Parallel goes, and where its result and errors go. */
interface Placement {
  next?: string;
  end?: true;
  resultPath: string | null;
  catchers: JsonPathCatcher[];
}

class SagaGraph<E extends string> {
  private readonly states: Record<string, State> = {};
  private readonly steps: readonly SagaStep<E>[];
  private readonly compensable: number[];
  private readonly parallel: boolean;
  private readonly compensateErrors: string[];
  private readonly n: SagaPlan['states'];
  private readonly failureEnd: string;
  /** The compensation states (a reviewer's retry or compensate runs a failed one again). */
  private readonly compensationStates = new Set<string>();

  constructor(private readonly props: SagaProps<E>) {
    this.steps = props.steps;
    this.parallel = props.compensation === 'parallel';
    this.compensable = this.steps.flatMap((s, i) => (s.compensation ? [i] : []));
    this.compensateErrors = Object.keys(props.errors).filter(
      (e) => props.errors[e as E].onFailure === 'compensate',
    );
    this.n = {
      analysis: props.analysis.name,
      review: props.review.name ?? 'WaitForHumanReview',
      reviewChoice: props.review.choiceName ?? 'ChooseAfterReview',
      compensateFailedStep: props.names?.compensateFailedStep ?? 'CompensateFailedStep',
      succeeded: props.names?.succeeded ?? 'OrderFulfilled',
      failed: props.names?.failed ?? 'OrderFulfillmentFailed',
      ...(props.onSuccess ? { notifySuccess: props.onSuccess.name } : {}),
      ...(props.onFailure ? { notifyFailure: props.onFailure.name } : {}),
    };
    this.failureEnd = this.n.notifyFailure ?? this.n.failed;
  }

  build(): Saga<E> {
    const { props, steps } = this;
    if (steps.length === 0) throw new DslError('InvalidArgument', 'a saga needs at least one step');

    steps.forEach((step, i) => this.addStep(step, i));
    if (this.parallel) this.addParallelCompensations();
    else this.addSequentialCompensations();
    this.addEscalation();
    this.addEnds();

    const start = this.addInputCheck() ?? steps[0]!.name;
    const definition: StateMachineDefinition<E> = {
      ...(props.comment ? { Comment: props.comment } : {}),
      StartAt: start,
      States: this.states as StateMachineDefinition<E>['States'],
      ...(props.timeoutSeconds !== undefined ? { TimeoutSeconds: props.timeoutSeconds } : {}),
    };
    const machine = fromDefinition(definition);
    return { machine, definition: machine.definition as StateMachineDefinition<E>, plan: this.plan() };
  }

  // ------------------------------------------------------------ input check

  /** The Choice in front of the first step and its Fail; returns the Choice's name (the new StartAt). */
  private addInputCheck(): string | undefined {
    const check = this.props.inputCheck;
    if (!check) return undefined;
    const name = check.name ?? 'CheckInput';
    const rejected = check.rejectedName ?? 'InputRejected';
    const first = this.steps[0]!.name;
    this.add(name, {
      Type: 'Choice',
      Comment: 'The input has what the steps read; otherwise nothing runs',
      ...(typeof check.condition === 'string'
        ? { QueryLanguage: 'JSONata', Choices: [{ Condition: check.condition, Next: first }] }
        : { Choices: [{ ...check.condition, Next: first } as JsonPathChoiceRule] }),
      Default: rejected,
    } as ChoiceState);
    this.add(rejected, { Type: 'Fail', Error: check.error, Cause: check.cause });
    return name;
  }

  // ------------------------------------------------------------ forward chain

  private addStep(step: SagaStep<E>, i: number): void {
    const next = this.steps[i + 1]?.name ?? this.n.notifySuccess ?? this.n.succeeded;
    const catchers: JsonPathCatcher[] = [];
    if (this.compensateErrors.length > 0) {
      catchers.push(
        this.catcher(this.compensateErrors as [string, ...string[]], this.entryThrough(i - 1), step.name),
      );
    }
    catchers.push(this.catcher(['States.ALL'], this.n.analysis, step.name));
    this.add(step.name, this.actionState(step, { next, resultPath: step.resultPath ?? `$.${step.name}`, catchers }));
  }

  // ------------------------------------------------------------ compensations

  /** The state that compensates steps 0..k (those that have a compensation), or the failure end. */
  private entryThrough(k: number): string {
    const j = this.lastCompensableAtOrBefore(k);
    if (j === undefined) return this.failureEnd;
    return this.parallel ? this.parallelName(j) : this.steps[j]!.compensation!.name;
  }

  private lastCompensableAtOrBefore(k: number): number | undefined {
    for (let j = k; j >= 0; j--) if (this.steps[j]!.compensation) return j;
    return undefined;
  }

  private addSequentialCompensations(): void {
    for (const j of [...this.compensable].reverse()) {
      const compensation = this.steps[j]!.compensation!;
      const next = this.entryThrough(j - 1);
      this.compensationStates.add(compensation.name);
      this.add(
        compensation.name,
        this.actionState(compensation, {
          next,
          resultPath: compensation.resultPath ?? null,
          catchers: [this.catcher(['States.ALL'], this.n.analysis, compensation.name)],
        }),
      );
    }
  }

  private parallelName(j: number): string {
    return `CompensateThrough${this.steps[j]!.name}`;
  }

  private addParallelCompensations(): void {
    for (const j of this.compensable) {
      const name = this.parallelName(j);
      const branches = this.compensable
        .filter((i) => i <= j)
        .reverse()
        .map((i): Branch => {
          const compensation = this.steps[i]!.compensation!;
          const through = (name: string) => `${name}Through${this.steps[j]!.name}`;
          const inner = through(compensation.name);
          if (isSubflow(compensation)) {
            // Renamed: this compensation is placed once per Parallel. Its own states form the branch,
            // unless it has a Retry, which needs a state of its own to hang on.
            const branch = renameStates(compensation.branch, through);
            if (!compensation.retry?.length) return branch;
            const placed = this.subflowState({ ...compensation, branch }, { end: true, resultPath: compensation.resultPath ?? null, catchers: [] });
            return { StartAt: inner, States: { [inner]: placed } };
          }
          return {
            StartAt: inner,
            States: { [inner]: this.taskState(compensation, { end: true, resultPath: compensation.resultPath ?? null, catchers: [] }) },
          };
        });
      this.compensationStates.add(name);
      this.add(name, {
        Type: 'Parallel',
        Comment: `Compensations of the steps through ${this.steps[j]!.name}, which are independent`,
        Branches: branches as [Branch, ...Branch[]],
        ResultPath: null,
        Catch: [this.catcher(['States.ALL'], this.n.analysis, name)],
        Next: this.failureEnd,
      });
    }
  }

  // ------------------------------------------------------------ analysis and review

  private addEscalation(): void {
    const { props, n } = this;
    const analysisPath = props.analysis.resultPath ?? '$.analysis';
    this.add(
      n.analysis,
      this.taskState(props.analysis, {
        next: n.review,
        resultPath: analysisPath,
        // A failed analysis must not block the review: the reviewer sees the analysis error instead.
        catchers: [{ ErrorEquals: ['States.ALL'], ResultPath: analysisPath, Next: n.review }],
      }),
    );

    const review = props.review;
    const message = {
      ...review.context,
      'executionArn.$': '$$.Execution.Id',
      'taskToken.$': '$$.Task.Token',
      'failedStep.$': `$${FAILED_STEP_VARIABLE}`,
      'errorInfo.$': ERROR_INFO_PATH,
      'analysis.$': analysisPath,
      'requestedAt.$': '$$.State.EnteredTime',
    } as const;
    const reviewTask = {
      Type: 'Task',
      Comment: 'Pauses until a reviewer answers with SendTaskSuccess ({outcome: retry | compensate | fail})',
      ...sqsSendMessage({ QueueUrl: review.queueUrl, MessageBody: message }, { waitForTaskToken: true }),
      TimeoutSeconds: review.timeoutSeconds,
      ...(review.heartbeatSeconds !== undefined ? { HeartbeatSeconds: review.heartbeatSeconds } : {}),
      ResultPath: '$.review',
      // An expired or failed review compensates: the safe default when nobody decides.
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.review', Next: n.compensateFailedStep }],
      Next: n.reviewChoice,
    } as JsonPathTaskState;
    this.add(n.review, reviewTask);

    const retryTargets = [...this.steps.map((s) => s.name), ...this.compensationStates];
    const outcome = '$.review.outcome' as const;
    const choices: JsonPathChoiceRule[] = [
      { Not: { Variable: outcome, IsString: true }, Next: n.compensateFailedStep },
      ...retryTargets.map(
        (target): JsonPathChoiceRule => ({
          And: [
            { Variable: outcome, StringEquals: 'retry' },
            { Variable: `$${FAILED_STEP_VARIABLE}`, StringEquals: target },
          ],
          Next: target,
        }),
      ),
      { Variable: outcome, StringEquals: 'compensate', Next: n.compensateFailedStep },
      { Variable: outcome, StringEquals: 'fail', Next: this.failureEnd },
    ];
    this.add(n.reviewChoice, {
      Type: 'Choice',
      Comment: 'Routes on the reviewer outcome; anything unrecognised compensates',
      Choices: choices as [JsonPathChoiceRule, ...JsonPathChoiceRule[]],
      Default: n.compensateFailedStep,
    } as ChoiceState);

    const compensateRules: JsonPathChoiceRule[] = [
      // A step whose failure was unknown may have committed: compensate it too (compensations are idempotent).
      ...this.steps.map((s, i): JsonPathChoiceRule => ({
        Variable: `$${FAILED_STEP_VARIABLE}`,
        StringEquals: s.name,
        Next: this.entryThrough(i),
      })),
      // A failed compensation: run it again (compensations are idempotent), then the rest. Skipping it
      // would end the order failed with its money or stock still held; only a reviewer's `fail` (the
      // order is handled outside the saga) ends it without compensating.
      ...[...this.compensationStates].map((name): JsonPathChoiceRule => ({
        Variable: `$${FAILED_STEP_VARIABLE}`,
        StringEquals: name,
        Next: name,
      })),
    ];
    this.add(n.compensateFailedStep, {
      Type: 'Choice',
      Comment: 'Compensates the steps committed before (and including) the failed one',
      Choices: compensateRules as [JsonPathChoiceRule, ...JsonPathChoiceRule[]],
      Default: this.failureEnd,
    } as ChoiceState);
  }

  // ------------------------------------------------------------ ends

  private addEnds(): void {
    const { props, n } = this;
    // The order's fate is decided before a notification; a lost notification must not change it.
    if (props.onSuccess) this.addNotification(props.onSuccess, n.succeeded);
    this.add(n.succeeded, { Type: 'Succeed' });
    if (props.onFailure) this.addNotification(props.onFailure, n.failed);
    this.add(n.failed, {
      Type: 'Fail',
      Error: props.failError ?? 'OrderFulfillmentFailed',
      CausePath: `States.JsonToString(${ERROR_INFO_PATH})`,
    });
  }

  private addNotification(notification: SagaTask<E>, next: string): void {
    this.add(
      notification.name,
      this.taskState(notification, {
        next,
        resultPath: notification.resultPath ?? null,
        catchers: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.notificationError', Next: next }],
      }),
    );
  }

  // ------------------------------------------------------------ helpers

  private catcher(errors: readonly [string, ...string[]], next: string, failedState: string): JsonPathCatcher {
    return {
      ErrorEquals: errors as JsonPathCatcher['ErrorEquals'],
      ResultPath: ERROR_INFO_PATH,
      Assign: { [FAILED_STEP_VARIABLE]: failedState },
      Next: next,
    };
  }

  /** A step's or compensation's state: its Task, or the one-branch Parallel of a subflow. */
  private actionState(a: SagaAction<E>, o: Placement): State {
    return isSubflow(a) ? this.subflowState(a, o) : this.taskState(a, o);
  }

  private subflowState(f: SagaSubflow<E>, o: Placement): ParallelState {
    return {
      Type: 'Parallel',
      ...(f.comment ? { Comment: f.comment } : {}),
      Branches: [f.branch],
      ResultSelector: f.resultSelector ?? SUBFLOW_PAYLOAD_ONLY,
      ResultPath: o.resultPath as ParallelState['ResultPath'],
      ...(f.retry && f.retry.length > 0 ? { Retry: f.retry as ParallelState['Retry'] } : {}),
      ...(o.catchers.length > 0 ? { Catch: o.catchers } : {}),
      ...(o.end ? { End: true } : { Next: o.next! }),
    } as ParallelState;
  }

  private taskState(
    t: SagaTask<E>,
    o: Placement,
  ): JsonPathTaskState {
    return {
      Type: 'Task',
      ...(t.comment ? { Comment: t.comment } : {}),
      Resource: t.invoke.Resource,
      Parameters: t.invoke.Parameters,
      ...(t.resultSelector ? { ResultSelector: t.resultSelector } : {}),
      ResultPath: o.resultPath as JsonPathTaskState['ResultPath'],
      TimeoutSeconds: t.timeoutSeconds,
      ...(t.heartbeatSeconds !== undefined ? { HeartbeatSeconds: t.heartbeatSeconds } : {}),
      ...(t.retry && t.retry.length > 0 ? { Retry: t.retry as JsonPathTaskState['Retry'] } : {}),
      ...(o.catchers.length > 0 ? { Catch: o.catchers } : {}),
      ...(o.end ? { End: true } : { Next: o.next! }),
    } as JsonPathTaskState;
  }

  private add(name: string, state: State): void {
    if (name in this.states) throw new DslError('DuplicateStateName', `the saga already has a state named '${name}'`);
    this.states[name] = state;
  }

  private plan(): SagaPlan {
    const compensationsThrough = (k: number) =>
      this.compensable.filter((j) => j <= k).reverse().map((j) => this.steps[j]!.compensation!.name);
    return {
      steps: this.steps.map((s, i) => ({
        name: s.name,
        onKnownFailure: compensationsThrough(i - 1),
        onReviewCompensate: compensationsThrough(i),
      })),
      states: this.n,
      compensateErrors: this.compensateErrors,
    };
  }
}
