import type { Branch, ChoiceRule, NestedChoiceRule, State, StateMachineDefinition } from '../definition/states.js';

export interface MermaidOptions {
  /** Flowchart direction. @default 'TD' */
  direction?: 'TD' | 'LR';
  /** State names an execution visited, in order: drawn highlighted, with the edges between them. */
  highlight?: readonly string[];
  /** Label Catch edges with their error names. @default true */
  errorLabels?: boolean;
}

/**
 * Draws any state machine definition as a Mermaid flowchart: Choice rules, Defaults, Catch
 * edges (dotted), Parallel branches and Map processors as subgraphs. With `highlight`, the
 * path an execution took stands out (the review console uses this).
 */
export function toMermaid(definition: StateMachineDefinition | Branch, options: MermaidOptions = {}): string {
  const r = new MermaidRenderer(options);
  return r.render(definition);
}

type Edge = { from: string; to: string; label?: string; kind: 'next' | 'catch' };

class MermaidRenderer {
  private readonly lines: string[] = [];
  private readonly ids = new Map<string, string>();
  private readonly edges: Edge[] = [];
  private readonly highlight: ReadonlySet<string>;

  constructor(private readonly options: MermaidOptions) {
    this.highlight = new Set(options.highlight ?? []);
  }

  render(definition: StateMachineDefinition | Branch): string {
    this.lines.push(`flowchart ${this.options.direction ?? 'TD'}`);
    this.lines.push('  start((" ")):::terminal');
    this.scope(definition, '  ');
    this.edges.unshift({ from: 'start', to: definition.StartAt, kind: 'next' });
    this.renderEdges();
    this.lines.push(
      '  classDef terminal fill:#222,stroke:#222,color:#fff',
      '  classDef succeed fill:#e3f6e8,stroke:#2e7d32',
      '  classDef fail fill:#fdecea,stroke:#c62828',
      '  classDef choice fill:#fff8e1,stroke:#f9a825',
      '  classDef visited stroke:#1565c0,stroke-width:3px',
    );
    const visited = [...this.highlight].filter((s) => this.ids.has(s)).map((s) => this.ids.get(s)!);
    if (visited.length > 0) this.lines.push(`  class ${visited.join(',')} visited`);
    return this.lines.join('\n') + '\n';
  }

  private id(state: string): string {
    if (state === 'start') return 'start';
    let id = this.ids.get(state);
    if (!id) {
      id = `s${this.ids.size}`;
      this.ids.set(state, id);
    }
    return id;
  }

  private scope(branch: Branch, indent: string): void {
    for (const [name, state] of Object.entries(branch.States ?? {})) this.state(name, state, indent);
  }

  private state(name: string, state: State, indent: string): void {
    const id = this.id(name);
    const label = escape(name);
    switch (state.Type) {
      case 'Task':
      case 'Pass':
      case 'Wait':
        this.lines.push(`${indent}${id}["${label}"]`);
        break;
      case 'Choice':
        this.lines.push(`${indent}${id}{"${label}"}:::choice`);
        state.Choices.forEach((rule, i) =>
          this.edges.push({ from: name, to: rule.Next, label: describeRule(rule, i), kind: 'next' }),
        );
        if (state.Default) this.edges.push({ from: name, to: state.Default, label: 'default', kind: 'next' });
        break;
      case 'Succeed':
        this.lines.push(`${indent}${id}(["${label}"]):::succeed`);
        break;
      case 'Fail':
        this.lines.push(`${indent}${id}(["${label}${state.Error ? `<br/>${escape(state.Error)}` : ''}"]):::fail`);
        break;
      case 'Parallel':
      case 'Map': {
        this.lines.push(`${indent}subgraph ${id}["${label} (${state.Type})"]`);
        const branches = state.Type === 'Parallel' ? state.Branches : [state.ItemProcessor ?? state.Iterator];
        for (const b of branches) {
          if (!b) continue;
          this.lines.push(`${indent}  direction TB`);
          this.scope(b, `${indent}  `);
          this.edges.push({ from: name, to: b.StartAt, kind: 'next' });
        }
        this.lines.push(`${indent}end`);
        break;
      }
      default:
        return assertNever(state);
    }
    if ('Next' in state && typeof state.Next === 'string') this.edges.push({ from: name, to: state.Next, kind: 'next' });
    if ('Catch' in state && Array.isArray(state.Catch)) {
      for (const c of state.Catch) {
        const label = this.options.errorLabels === false ? undefined : c.ErrorEquals.join(', ');
        this.edges.push({ from: name, to: c.Next, kind: 'catch', ...(label ? { label } : {}) });
      }
    }
  }

  private renderEdges(): void {
    const path = this.options.highlight ?? [];
    const onPath = new Set(path.slice(1).map((to, i) => `${path[i]}\u0000${to}`));
    if (path.length > 0) onPath.add(`start\u0000${path[0]}`);
    const highlighted: number[] = [];
    this.edges.forEach((e, i) => {
      const from = this.id(e.from);
      const to = this.id(e.to);
      const label = e.label ? `|"${escape(e.label)}"|` : '';
      this.lines.push(`  ${from} ${e.kind === 'catch' ? '-.->' : '-->'}${label} ${to}`);
      if (onPath.has(`${e.from}\u0000${e.to}`)) highlighted.push(i);
    });
    if (highlighted.length > 0) this.lines.push(`  linkStyle ${highlighted.join(',')} stroke:#1565c0,stroke-width:3px`);
  }
}

function describeRule(rule: ChoiceRule | NestedChoiceRule, index: number): string {
  if ('Condition' in rule && rule.Condition !== undefined) return String(rule.Condition).slice(0, 60);
  const text = describeTest(rule as NestedChoiceRule);
  return text.length > 60 ? `rule ${index + 1}` : text;
}

function describeTest(rule: NestedChoiceRule): string {
  if ('And' in rule && rule.And) return rule.And.map(describeTest).join(' and ');
  if ('Or' in rule && rule.Or) return rule.Or.map(describeTest).join(' or ');
  if ('Not' in rule && rule.Not) return `not ${describeTest(rule.Not)}`;
  const { Variable, Comment: _c, Next: _n, ...ops } = rule as Record<string, unknown>;
  const [op, value] = Object.entries(ops)[0] ?? ['?', ''];
  return `${String(Variable)} ${op} ${JSON.stringify(value)}`;
}

/** Mermaid labels are quoted; quotes and markup characters become entities. */
function escape(text: string): string {
  return text.replace(/[&"<>#]/g, (c) => `#${c.charCodeAt(0)};`);
}

function assertNever(value: never): never {
  throw new TypeError(`unknown state type ${JSON.stringify((value as { Type?: unknown }).Type)}`);
}
