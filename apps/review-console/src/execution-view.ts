import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { toMermaid, type StateMachineDefinition } from '@saga/asl';

/**
 * Where an execution is: DescribeExecution for its status, GetExecutionHistory for the states it
 * entered (the path) and its newest events, DescribeStateMachine for the definition the diagram
 * is drawn from (SVG by ./ui/diagram-svg.ts, Mermaid text by @saga/asl's `toMermaid`).
 */
export interface ExecutionView {
  executionArn: string;
  name: string | undefined;
  status: string;
  stateMachineArn: string | undefined;
  startDate: Date | undefined;
  stopDate: Date | undefined;
  error: string | undefined;
  cause: string | undefined;
  /** Every state entered, in order (states inside Parallel and Map included). */
  path: string[];
  /** The newest history events, newest first. */
  recent: RecentEvent[];
  definition: StateMachineDefinition | undefined;
  /** `toMermaid(definition, { highlight: path })`. */
  mermaid: string | undefined;
}

export interface RecentEvent {
  timestamp: Date | undefined;
  type: string;
  state: string | undefined;
  /** An error name (and a shortened cause) for failures. */
  detail: string | undefined;
}

export type ExecutionViewResult = { ok: true; view: ExecutionView } | { ok: false; reason: 'not-found' | 'error'; message: string };

const RECENT_EVENTS = 12;
const MAX_HISTORY_PAGES = 20;

export async function loadExecutionView(sfn: SFNClient, executionArn: string): Promise<ExecutionViewResult> {
  try {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    const [events, machine] = await Promise.all([
      history(sfn, executionArn),
      execution.stateMachineArn
        ? sfn.send(new DescribeStateMachineCommand({ stateMachineArn: execution.stateMachineArn })).catch(() => undefined)
        : undefined,
    ]);
    const path = events.flatMap((e) => (e.stateEnteredEventDetails?.name !== undefined ? [e.stateEnteredEventDetails.name] : []));
    const definition = parseDefinition(machine?.definition);
    return {
      ok: true,
      view: {
        executionArn,
        name: execution.name,
        status: execution.status ?? 'UNKNOWN',
        stateMachineArn: execution.stateMachineArn,
        startDate: execution.startDate,
        stopDate: execution.stopDate,
        error: execution.error,
        cause: execution.cause,
        path,
        recent: events.map(recentEvent).filter(worthShowing).slice(-RECENT_EVENTS).reverse(),
        definition,
        mermaid: definition ? toMermaid(definition, { highlight: path }) : undefined,
      },
    };
  } catch (e) {
    const name = e instanceof Error ? e.name : 'Error';
    if (name === 'ExecutionDoesNotExist' || name === 'InvalidArn') return { ok: false, reason: 'not-found', message: `${name}: no such execution` };
    return { ok: false, reason: 'error', message: `${name}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

async function history(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
    const out = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, includeExecutionData: false, nextToken }));
    events.push(...(out.events ?? []));
    nextToken = out.nextToken;
    if (!nextToken) break;
  }
  return events;
}

function parseDefinition(text: string | undefined): StateMachineDefinition | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' && 'States' in parsed ? (parsed as StateMachineDefinition) : undefined;
  } catch {
    return undefined;
  }
}

const MAX_CAUSE = 300;

/** States entered and left, failures, and the execution's own events: the story, not the plumbing. */
function worthShowing(e: RecentEvent): boolean {
  return e.state !== undefined || e.detail !== undefined || e.type.startsWith('Execution');
}

function recentEvent(e: HistoryEvent): RecentEvent {
  const failure =
    e.executionFailedEventDetails ??
    e.taskFailedEventDetails ??
    e.lambdaFunctionFailedEventDetails ??
    e.taskTimedOutEventDetails ??
    e.executionTimedOutEventDetails ??
    e.executionAbortedEventDetails;
  const cause = failure?.cause;
  const detail = failure
    ? [failure.error, cause ? (cause.length > MAX_CAUSE ? `${cause.slice(0, MAX_CAUSE)}…` : cause) : undefined].filter(Boolean).join(': ')
    : undefined;
  return {
    timestamp: e.timestamp,
    type: e.type ?? 'Unknown',
    state: e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name,
    detail: detail || undefined,
  };
}
