import { html, type SafeHtml } from './html.js';

/**
 * The state machine as an inline SVG (no script, no external renderer): top-level states in
 * layers by distance from StartAt, transitions as arrows (Catch transitions dashed), the states an
 * execution entered and the transitions it took highlighted. Parallel and Map states are one box.
 */

interface LooseState {
  Type?: string;
  Next?: string;
  Default?: string;
  End?: boolean;
  Choices?: ReadonlyArray<{ Next?: string }>;
  Catch?: ReadonlyArray<{ Next?: string }>;
}

interface LooseDefinition {
  StartAt?: string;
  States?: Readonly<Record<string, LooseState>>;
}

type Edge = { from: string; to: string; kind: 'next' | 'catch' };
type Box = { name: string; type: string; x: number; y: number };

const BOX_W = 190;
const BOX_H = 34;
const GAP_X = 24;
const GAP_Y = 56;
const MARGIN = 24;
const START_R = 9;
const MAX_LABEL = 28;

/** The transitions out of each top-level state. */
export function transitions(definition: LooseDefinition): Edge[] {
  const edges: Edge[] = [];
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    const add = (to: string | undefined, kind: Edge['kind']) => {
      if (typeof to === 'string' && !edges.some((e) => e.from === name && e.to === to && e.kind === kind)) edges.push({ from: name, to, kind });
    };
    add(state.Next, 'next');
    for (const choice of state.Choices ?? []) add(choice.Next, 'next');
    add(state.Default, 'next');
    for (const c of state.Catch ?? []) add(c.Next, 'catch');
  }
  return edges;
}

/** Layers by breadth-first distance from StartAt; unreachable states go last. */
function layers(definition: LooseDefinition, edges: readonly Edge[]): string[][] {
  const names = Object.keys(definition.States ?? {});
  const depth = new Map<string, number>();
  const queue: string[] = [];
  if (definition.StartAt !== undefined && names.includes(definition.StartAt)) {
    depth.set(definition.StartAt, 0);
    queue.push(definition.StartAt);
  }
  while (queue.length > 0) {
    const name = queue.shift()!;
    for (const e of edges) {
      if (e.from === name && names.includes(e.to) && !depth.has(e.to)) {
        depth.set(e.to, depth.get(name)! + 1);
        queue.push(e.to);
      }
    }
  }
  const last = Math.max(-1, ...depth.values()) + 1;
  for (const n of names) if (!depth.has(n)) depth.set(n, last);
  const out: string[][] = [];
  // Breadth-first discovery order within a layer (Map keeps insertion order).
  for (const [name, d] of depth) (out[d] ??= []).push(name);
  return out.filter((layer) => layer !== undefined);
}

/** Renders the diagram; `path` is the ordered state names the execution entered. */
export function diagramSvg(definition: LooseDefinition, path: readonly string[]): SafeHtml {
  const states = definition.States ?? {};
  const edges = transitions(definition);
  const rows = layers(definition, edges);
  const widest = Math.max(1, ...rows.map((r) => r.length));
  const width = MARGIN * 2 + widest * BOX_W + (widest - 1) * GAP_X;
  const top = MARGIN + START_R * 2 + GAP_Y / 2;
  const height = top + rows.length * (BOX_H + GAP_Y) - GAP_Y + MARGIN;
  const boxes = new Map<string, Box>();
  rows.forEach((row, r) => {
    const rowWidth = row.length * BOX_W + (row.length - 1) * GAP_X;
    const left = (width - rowWidth) / 2;
    row.forEach((name, i) => {
      boxes.set(name, { name, type: states[name]?.Type ?? 'Unknown', x: left + i * (BOX_W + GAP_X), y: top + r * (BOX_H + GAP_Y) });
    });
  });

  const visited = new Set(path);
  const current = path.at(-1);
  const taken = new Set(path.slice(1).map((to, i) => `${path[i]}\u0000${to}`));
  const startBox = definition.StartAt !== undefined ? boxes.get(definition.StartAt) : undefined;
  const startX = width / 2;
  const startY = MARGIN + START_R;

  const edgeShapes = edges
    .filter((e) => boxes.has(e.from) && boxes.has(e.to))
    .map((e) => {
      const isTaken = taken.has(`${e.from}\u0000${e.to}`);
      const cls = ['edge', e.kind === 'catch' ? 'catch' : '', isTaken ? 'taken' : ''].filter(Boolean).join(' ');
      return html`<path class="${cls}" d="${edgePath(boxes.get(e.from)!, boxes.get(e.to)!)}" marker-end="url(#${isTaken ? 'arrow-taken' : 'arrow'})"><title>${e.from} → ${e.to}${e.kind === 'catch' ? ' (Catch)' : ''}</title></path>`;
    });
  const startEdge = startBox
    ? html`<path class="edge${path.length > 0 ? ' taken' : ''}" d="M ${startX} ${startY + START_R} L ${startBox.x + BOX_W / 2} ${startBox.y}" marker-end="url(#${path.length > 0 ? 'arrow-taken' : 'arrow'})"/>`
    : html``;
  const boxShapes = [...boxes.values()].map((b) => {
    const cls = ['state', b.type.toLowerCase(), visited.has(b.name) ? 'visited' : '', b.name === current ? 'current' : ''].filter(Boolean).join(' ');
    const label = b.name.length > MAX_LABEL ? `${b.name.slice(0, MAX_LABEL - 1)}…` : b.name;
    const rx = b.type === 'Succeed' || b.type === 'Fail' ? BOX_H / 2 : b.type === 'Choice' ? 2 : 6;
    return html`<g class="${cls}"><title>${b.name} (${b.type})</title><rect x="${b.x}" y="${b.y}" width="${BOX_W}" height="${BOX_H}" rx="${rx}"/><text x="${b.x + BOX_W / 2}" y="${b.y + BOX_H / 2 + 4}" text-anchor="middle">${label}</text></g>`;
  });

  // Room on the right for the transitions that loop back up.
  const canvas = width + 2 * GAP_Y;
  return html`<svg class="diagram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${canvas} ${height}" width="${canvas}" role="img" aria-label="State machine diagram with the execution's path highlighted">
<defs>
<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#8a94a6"/></marker>
<marker id="arrow-taken" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#1565c0"/></marker>
</defs>
<circle class="start" cx="${startX}" cy="${startY}" r="${START_R}"/>
${startEdge}${edgeShapes}${boxShapes}
</svg>`;
}

/** Down to a lower layer: a curve from the bottom to the top; else around the right-hand sides. */
function edgePath(from: Box, to: Box): string {
  if (to.y > from.y) {
    const x1 = from.x + BOX_W / 2;
    const y1 = from.y + BOX_H;
    const x2 = to.x + BOX_W / 2;
    const y2 = to.y;
    const mid = (y1 + y2) / 2;
    return `M ${x1} ${y1} C ${x1} ${mid} ${x2} ${mid} ${x2} ${y2}`;
  }
  const x1 = from.x + BOX_W;
  const y1 = from.y + BOX_H / 2;
  const x2 = to.x + BOX_W;
  const y2 = to.y + BOX_H / 2;
  const bulge = Math.max(x1, x2) + 40 + Math.abs(y1 - y2) / 6;
  return `M ${x1} ${y1} C ${bulge} ${y1} ${bulge} ${y2} ${x2} ${y2}`;
}
