import type { Branch, JsonValue, State } from '@saga/asl';
import { runtimeError } from '../errors.js';
import type { Checkpoint } from './execution-types.js';
import type { Scope, StateOutcome } from './scope.js';
import { throwIfAborted } from './scope.js';
import { executeChoice } from './states/choice.js';
import { executeFail } from './states/fail.js';
import { executeMap } from './states/map.js';
import { executeParallel } from './states/parallel.js';
import { executePass } from './states/pass.js';
import { executeSucceed } from './states/succeed.js';
import { executeTask } from './states/task.js';
import { executeWait } from './states/wait.js';

/**
 * Runs one `States` block (the machine, a Parallel branch, a Map iteration) from StartAt (or a
 * checkpoint) until a state ends it; returns its output or throws the error that failed it.
 */
export async function runBlock(
  block: Branch,
  input: JsonValue,
  scope: Scope,
  resume?: Pick<Checkpoint, 'stateName' | 'input' | 'waitingForCallback'>,
): Promise<JsonValue> {
  let name = resume?.stateName ?? block.StartAt;
  let data = resume ? resume.input : input;
  let waiting = resume?.waitingForCallback;
  for (;;) {
    throwIfAborted(scope.cancel);
    const state = block.States[name];
    if (!state) throw runtimeError(name, `The state '${name}' does not exist.`);
    scope.run.transitions++;
    const outcome = await executeState(name, state, data, scope, waiting);
    waiting = undefined;
    if (outcome.kind === 'end') return outcome.output;
    name = outcome.next;
    data = outcome.output;
    if (scope.topLevel && scope.checkpoint) {
      scope.checkpoint({ stateName: name, input: data, variables: scope.vars.ownValues() });
    }
  }
}

function executeState(
  name: string,
  state: State,
  input: JsonValue,
  scope: Scope,
  resume: Checkpoint['waitingForCallback'],
): Promise<StateOutcome> {
  switch (state.Type) {
    case 'Task':
      return executeTask(name, state, input, scope, resume);
    case 'Pass':
      return executePass(name, state, input, scope);
    case 'Choice':
      return executeChoice(name, state, input, scope);
    case 'Wait':
      return executeWait(name, state, input, scope);
    case 'Succeed':
      return executeSucceed(name, state, input, scope);
    case 'Fail':
      return executeFail(name, state, input, scope);
    case 'Parallel':
      return executeParallel(name, state, input, scope);
    case 'Map':
      return executeMap(name, state, input, scope);
    default:
      throw runtimeError(name, `Unknown state type ${JSON.stringify((state as { Type?: unknown }).Type)}.`);
  }
}
