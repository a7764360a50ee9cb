import type { ExecutionView } from '../execution-view.js';
import { diagramSvg } from './diagram-svg.js';
import { html, type SafeHtml } from './html.js';
import { when } from './layout.js';

/** GET /executions/:arn: status, the diagram with the path taken, the newest events. */
export function executionPage(view: ExecutionView): SafeHtml {
  const top = new Set(Object.keys(view.definition?.States ?? {}));
  const topPath = view.path.filter((s) => top.has(s));
  return html`<h1>Execution <span class="badge ${view.status}" id="execution-status">${view.status}</span></h1>
<dl class="facts">
<dt>Name</dt><dd>${view.name ?? '—'}</dd>
<dt>Execution</dt><dd><code>${view.executionArn}</code></dd>
<dt>State machine</dt><dd><code>${view.stateMachineArn ?? '—'}</code></dd>
<dt>Started</dt><dd>${when(view.startDate)}</dd>
<dt>Stopped</dt><dd>${when(view.stopDate)}</dd>
<dt>Current / last state</dt><dd>${view.path.at(-1) ?? '—'}</dd>
${view.error ? html`<dt>Error</dt><dd><code>${view.error}</code></dd>` : ''}
${view.cause ? html`<dt>Cause</dt><dd>${view.cause}</dd>` : ''}
</dl>
<h2>Newest events</h2>
<table><thead><tr><th>When</th><th>Event</th><th>State</th><th>Detail</th></tr></thead><tbody>
${view.recent.map((e) => html`<tr><td>${when(e.timestamp)}</td><td>${e.type}</td><td>${e.state ?? ''}</td><td>${e.detail ?? ''}</td></tr>`)}
</tbody></table>
<h2>Path taken</h2>
${view.definition ? html`<div class="diagram-wrap">${diagramSvg(view.definition, topPath)}</div>` : html`<p class="muted">The definition could not be read.</p>`}
<details><summary>States entered, in order (${view.path.length})</summary><ol class="path">${view.path.map((s) => html`<li>${s}</li>`)}</ol></details>
${view.mermaid ? html`<details><summary>Mermaid source</summary><pre><code>${view.mermaid}</code></pre></details>` : ''}`;
}
