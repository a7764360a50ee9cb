import type { JsonValue } from '@saga/asl';

/**
 * Workflow variables with AWS's scoping: each `States` block (the machine, a Parallel branch, a
 * Map iteration) has its own scope; inner scopes read outer variables; values assigned in a
 * state become visible from the next state on.
 */
export class VariableScope {
  /** Created on the first assignment: most scopes (most executions) never assign. */
  private own: Map<string, JsonValue> | undefined;
  private merged: Readonly<Record<string, JsonValue>> | undefined;
  private parentSnapshot: Readonly<Record<string, JsonValue>> | undefined;

  constructor(private readonly parent?: VariableScope) {}

  /** Every visible variable (inner names shadow outer ones), as one frozen object. */
  visible(): Readonly<Record<string, JsonValue>> {
    const base = this.parent ? this.parent.visible() : NONE;
    if (this.merged && base === this.parentSnapshot) return this.merged;
    this.parentSnapshot = base;
    this.merged = this.own ? Object.freeze({ ...base, ...Object.fromEntries(this.own) }) : base;
    return this.merged;
  }

  /** Assigns all at once: values are computed before any is set (the caller evaluates first). */
  assign(values: Readonly<Record<string, JsonValue>>): void {
    const own = (this.own ??= new Map());
    for (const [k, v] of Object.entries(values)) own.set(k, v);
    this.merged = undefined;
  }

  /** The variables of this scope only (for checkpoints). */
  ownValues(): Record<string, JsonValue> {
    return this.own ? Object.fromEntries(this.own) : {};
  }

  child(): VariableScope {
    return new VariableScope(this);
  }
}

const NONE: Readonly<Record<string, JsonValue>> = Object.freeze({});
