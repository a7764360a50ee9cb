import { apiErrors } from '../service/errors.js';

/**
 * Input shapes checked at the boundary, with AWS's (Coral's) wording:
 * `1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null`.
 * Every problem of a request is reported at once, `; `-separated. Unknown members are ignored.
 */

export interface Member<T, Required extends boolean = boolean> {
  readonly required: Required;
  /** Checks `value` (never undefined/null here) at `path`; pushes problems and returns the value. */
  check(value: unknown, path: string, problems: string[]): T;
}

export type Shape = Record<string, Member<unknown>>;

type MemberType<M> = M extends Member<infer T> ? T : never;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends Member<unknown, true> ? K : never }[keyof S];
type OptionalKeys<S extends Shape> = Exclude<keyof S, RequiredKeys<S>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The value a shape accepts. */
export type Infer<S extends Shape> = Simplify<
  { [K in RequiredKeys<S>]: MemberType<S[K]> } & { [K in OptionalKeys<S>]?: MemberType<S[K]> }
>;

/** Makes a member required (`Value null at '<path>' ... Member must not be null` when absent). */
export function required<T>(member: Member<T>): Member<T, true> {
  return { required: true, check: (value, path, problems) => member.check(value, path, problems) };
}

/** How Coral quotes a value in a message (sensitive values are left out). */
function quoted(value: unknown, sensitive: boolean): string {
  if (sensitive) return 'Value';
  if (typeof value === 'string') return `Value '${value.length > 256 ? value.slice(0, 256) + '...' : value}'`;
  if (value === null || typeof value !== 'object') return `Value '${String(value)}'`;
  return `Value '${JSON.stringify(value).slice(0, 256)}'`;
}

function problem(value: unknown, path: string, constraint: string, sensitive = false): string {
  return `${quoted(value, sensitive)} at '${path}' failed to satisfy constraint: ${constraint}`;
}

function typeProblem(value: unknown, path: string, type: string, sensitive = false): string {
  return problem(value, path, `Member must be of type ${type}`, sensitive);
}

export function string(
  options: { min?: number; max?: number; sensitive?: boolean; pattern?: { regex: RegExp; text: string } } = {},
): Member<string, false> {
  const sensitive = options.sensitive ?? false;
  return {
    required: false,
    check(value, path, problems) {
      if (typeof value !== 'string') {
        problems.push(typeProblem(value, path, 'string', sensitive));
        return '';
      }
      if (options.min !== undefined && value.length < options.min) {
        problems.push(problem(value, path, `Member must have length greater than or equal to ${options.min}`, sensitive));
      }
      if (options.max !== undefined && value.length > options.max) {
        problems.push(problem(value, path, `Member must have length less than or equal to ${options.max}`, sensitive));
      }
      if (options.pattern && !options.pattern.regex.test(value)) {
        problems.push(problem(value, path, `Member must satisfy regular expression pattern: ${options.pattern.text}`, sensitive));
      }
      return value;
    },
  };
}

export function enumeration<const V extends string>(values: readonly V[]): Member<V, false> {
  return {
    required: false,
    check(value, path, problems) {
      if (typeof value !== 'string') {
        problems.push(typeProblem(value, path, 'string'));
      } else if (!(values as readonly string[]).includes(value)) {
        problems.push(problem(value, path, `Member must satisfy enum value set: [${values.join(', ')}]`));
      }
      return value as V;
    },
  };
}

export function integer(options: { min?: number; max?: number } = {}): Member<number, false> {
  return {
    required: false,
    check(value, path, problems) {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        problems.push(typeProblem(value, path, 'integer'));
        return 0;
      }
      if (options.min !== undefined && value < options.min) {
        problems.push(problem(value, path, `Member must have value greater than or equal to ${options.min}`));
      }
      if (options.max !== undefined && value > options.max) {
        problems.push(problem(value, path, `Member must have value less than or equal to ${options.max}`));
      }
      return value;
    },
  };
}

export function boolean(): Member<boolean, false> {
  return {
    required: false,
    check(value, path, problems) {
      if (typeof value !== 'boolean') problems.push(typeProblem(value, path, 'boolean'));
      return value as boolean;
    },
  };
}

export function struct<S extends Shape>(shape: S): Member<Infer<S>, false> {
  return {
    required: false,
    check(value, path, problems) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        problems.push(typeProblem(value, path, 'structure'));
        return {} as Infer<S>;
      }
      return checkMembers(shape, value as Record<string, unknown>, `${path}.`, problems);
    },
  };
}

export function list<T>(member: Member<T>, options: { min?: number; max?: number } = {}): Member<T[], false> {
  return {
    required: false,
    check(value, path, problems) {
      if (!Array.isArray(value)) {
        problems.push(typeProblem(value, path, 'list'));
        return [];
      }
      if (options.min !== undefined && value.length < options.min) {
        problems.push(problem(value, path, `Member must have length greater than or equal to ${options.min}`));
      }
      if (options.max !== undefined && value.length > options.max) {
        problems.push(problem(value, path, `Member must have length less than or equal to ${options.max}`));
      }
      return value.map((item, i) => {
        const itemPath = `${path}.${i + 1}.member`;
        if (item === null || item === undefined) {
          problems.push(`Value null at '${itemPath}' failed to satisfy constraint: Member must not be null`);
          return item as T;
        }
        return member.check(item, itemPath, problems);
      });
    },
  };
}

function checkMembers<S extends Shape>(shape: S, body: Record<string, unknown>, prefix: string, problems: string[]): Infer<S> {
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(shape)) {
    const value = body[key];
    if (value === undefined || value === null) {
      if (member.required) problems.push(`Value null at '${prefix}${key}' failed to satisfy constraint: Member must not be null`);
      continue;
    }
    out[key] = member.check(value, `${prefix}${key}`, problems);
  }
  return out as Infer<S>;
}

/** Checks a request body against a shape: the typed input, or `ValidationException` listing every problem. */
export function parseInput<S extends Shape>(shape: S, body: Record<string, unknown>): Infer<S> {
  const problems: string[] = [];
  const input = checkMembers(shape, body, '', problems);
  if (problems.length > 0) throw apiErrors.validation(problems);
  return input;
}
