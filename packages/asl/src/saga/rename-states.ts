import type { Branch, ItemProcessor, State } from '../definition/states.js';

type Rename = (name: string) => string;

/**
 * A copy of `branch` with every state name passed through `rename`, nested branches and Map
 * processors included, and every reference following (StartAt, Next, Default, a Choice rule's Next, a
 * Catch's Next). The saga places a compensation once in each `CompensateThrough...` Parallel, and ASL
 * wants state names unique in the whole machine.
 */
export function renameStates<B extends Branch<E>, E extends string>(branch: B, rename: Rename): B {
  const states: Record<string, State<string, E>> = {};
  for (const [name, state] of Object.entries(branch.States)) states[rename(name)] = renamedState(state, rename);
  return { ...branch, StartAt: rename(branch.StartAt), States: states };
}

function renamedState<E extends string>(state: State<string, E>, rename: Rename): State<string, E> {
  // Plain records here: each state type's TypeScript shape is a union of JSONPath and JSONata forms,
  // and only the transition fields change.
  const copy = { ...state } as Record<string, unknown>;
  if (typeof copy['Next'] === 'string') copy['Next'] = rename(copy['Next']);
  switch (state.Type) {
    case 'Choice':
      copy['Choices'] = state.Choices.map((rule) => ({ ...rule, Next: rename(rule.Next) }));
      if (state.Default !== undefined) copy['Default'] = rename(state.Default);
      break;
    case 'Task':
      copy['Catch'] = renamedCatchers(state.Catch, rename);
      break;
    case 'Parallel':
      copy['Catch'] = renamedCatchers(state.Catch, rename);
      copy['Branches'] = state.Branches.map((b) => renameStates(b, rename));
      break;
    case 'Map':
      copy['Catch'] = renamedCatchers(state.Catch, rename);
      if (state.ItemProcessor) copy['ItemProcessor'] = renameStates<ItemProcessor<E>, E>(state.ItemProcessor, rename);
      if (state.Iterator) copy['Iterator'] = renameStates<ItemProcessor<E>, E>(state.Iterator, rename);
      break;
    case 'Pass':
    case 'Wait':
    case 'Succeed':
    case 'Fail':
      break;
    default: {
      const unknown: never = state;
      throw new Error(`unknown state type ${(unknown as { Type: string }).Type}`);
    }
  }
  if (copy['Catch'] === undefined) delete copy['Catch'];
  return copy as unknown as State<string, E>;
}

function renamedCatchers(catchers: readonly { Next: string }[] | undefined, rename: Rename): unknown {
  return catchers?.map((c) => ({ ...c, Next: rename(c.Next) }));
}
