import type { JsonValue } from '@saga/asl';

/**
 * Workflow variables with AWS's scoping: each `States` block (the machine, a Parallel branch, a
 * Map iteration) has its own scope; inner scopes read outer variables; values assigned in a
 * state become visible from the next state on.
 */
export class VariableScope {
  private readonly own = new Map<string, JsonValue>();
  private merged: Readonly<Record<string, JsonValue>> | undefined;

  constructor(private readonly parent?: VariableScope) {}

  /** Every visible variable (inner names shadow outer ones), as one frozen object. */
  visible(): Readonly<Record<string, JsonValue>> {
    if (this.merged && !this.parentChanged()) return this.merged;
    const base = this.parent ? this.parent.visible() : {};
    this.parentSnapshot = this.parent?.visible();
    this.merged = this.own.size === 0 ? base : Object.freeze({ ...base, ...Object.fromEntries(this.own) });
    return this.merged;
  }

  /** Assigns all at once: values are computed before any is set (the caller evaluates first). */
  assign(values: Readonly<Record<string, JsonValue>>): void {
    for (const [k, v] of Object.entries(values)) this.own.set(k, v);
    this.merged = undefined;
  }

  /** The variables of this scope only (for checkpoints). */
  ownValues(): Record<string, JsonValue> {
    return Object.fromEntries(this.own);
  }

  child(): VariableScope {
    return new VariableScope(this);
  }

  private parentSnapshot: Readonly<Record<string, JsonValue>> | undefined;
  private parentChanged(): boolean {
    return this.parent !== undefined && this.parent.visible() !== this.parentSnapshot;
  }
}
