/**
 * Fair turns: how executions continue after their task work settles.
 *
 * When thousands of task results arrive in one event-loop turn (a gate opening, a burst of
 * callbacks, a Lambda stand-in answering everything at once), letting every execution run on at
 * once moves all of them forward in lockstep: each holds its half-built history and outputs while
 * the others catch up, the event loop (and with it the HTTP API) stalls for the whole burst, and
 * the garbage of the burst outlives young-generation GCs. Instead, at most {@link CONTINUATIONS_PER_TURN}
 * executions continue per turn; the rest wait for the next turn, oldest execution first, so a
 * burst is worked off in slices that each finish their executions before the next slice starts.
 *
 * Below the limit nothing waits and nothing is allocated; a long run of continuations inside one
 * macrotask (a loop of thousands of tasks resolving at once) gets a macrotask hop every 256, which
 * changes no outcome: clocks stand still meanwhile. One queue per process, since the event loop it
 * shares out is the process's.
 */

/** Continuations granted per event-loop turn before the rest wait for the next one. */
export const CONTINUATIONS_PER_TURN = 256;

interface Waiter {
  readonly order: number;
  readonly go: () => void;
}

let nextOrder = 0;
let grantedThisTurn = 0;
let turnScheduled = false;
/** A binary min-heap on `order`: the oldest waiting execution first. */
const waiting: Waiter[] = [];

/** A new execution's place in the order of continuations: earlier starts go first. */
export function continuationOrder(): number {
  return nextOrder++;
}

/**
 * Whether the execution of `order` may continue now: `undefined` when it may (the common case,
 * without allocating), else a promise that resolves on the turn it is granted.
 */
export function nextTurn(order: number): Promise<void> | undefined {
  if (grantedThisTurn < CONTINUATIONS_PER_TURN && waiting.length === 0) {
    grantedThisTurn++;
    scheduleTurn();
    return undefined;
  }
  return new Promise<void>((go) => {
    push({ order, go });
    scheduleTurn();
  });
}

/** How many executions wait for a turn (for tests and diagnostics). */
export function waitingForTurn(): number {
  return waiting.length;
}

function scheduleTurn(): void {
  if (turnScheduled) return;
  turnScheduled = true;
  setImmediate(newTurn);
}

function newTurn(): void {
  turnScheduled = false;
  grantedThisTurn = 0;
  while (grantedThisTurn < CONTINUATIONS_PER_TURN && waiting.length > 0) {
    grantedThisTurn++;
    pop().go();
  }
  // The granted continuations run after this callback; the count stays until the next turn.
  if (grantedThisTurn > 0) scheduleTurn();
}

function push(waiter: Waiter): void {
  let i = waiting.length;
  waiting.push(waiter);
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (waiting[parent]!.order <= waiter.order) break;
    waiting[i] = waiting[parent]!;
    i = parent;
  }
  waiting[i] = waiter;
}

function pop(): Waiter {
  const top = waiting[0]!;
  const last = waiting.pop()!;
  const n = waiting.length;
  if (n > 0) {
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && waiting[child + 1]!.order < waiting[child]!.order) child++;
      if (waiting[child]!.order >= last.order) break;
      waiting[i] = waiting[child]!;
      i = child;
    }
    waiting[i] = last;
  }
  return top;
}
