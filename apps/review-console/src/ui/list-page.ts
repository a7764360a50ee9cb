import type { ReviewSourceStatus } from '../review-source.js';
import type { ClosedReview, Review } from '../review-store.js';
import { html } from './html.js';
import { executionHref, when } from './layout.js';

/** GET /: the open reviews, oldest first, and the ones closed recently. */
export function listPage(reviews: readonly Review[], closed: readonly ClosedReview[], source: ReviewSourceStatus) {
  const status = source.lastError
    ? html`<div class="banner error"><strong>The review queue cannot be read</strong>${source.lastError}</div>`
    : source.lastPollAt === undefined
      ? html`<div class="banner warn"><strong>Waiting for the first poll of the review queue…</strong></div>`
      : '';
  const unreadable = source.unreadable > 0
    ? html`<div class="banner warn"><strong>${source.unreadable} message(s) on the queue are not review requests</strong>They are left on the queue (see the console's log).</div>`
    : '';
  const rows = reviews.map(
    (r) => html`<tr>
<td><a href="/reviews/${r.id}">${r.request.orderId}</a></td>
<td>${r.request.failedStep}</td>
<td><code>${r.request.errorInfo.Error}</code></td>
<td>${r.request.analysis ? html`${r.request.analysis.category} <span class="badge ${r.request.analysis.source}">${r.request.analysis.source}</span>` : html`<span class="muted">${r.analysisError ? 'analysis failed' : 'none'}</span>`}</td>
<td>${when(r.request.requestedAt)}</td>
<td><a href="/reviews/${r.id}">Review</a></td>
</tr>`,
  );
  const table = reviews.length
    ? html`<table><thead><tr><th>Order</th><th>Failed step</th><th>Error</th><th>Analysis</th><th>Requested</th><th></th></tr></thead><tbody>${rows}</tbody></table>`
    : html`<div class="empty">No review is waiting.</div>`;
  const recent = closed.length
    ? html`<h2>Recently closed</h2><table><thead><tr><th>Order</th><th>Result</th><th>When</th><th></th></tr></thead><tbody>${closed.map(
        (c) => html`<tr><td>${c.orderId}</td><td>${c.result.kind === 'decided' ? `decided: ${c.result.outcome}` : `not taken: ${c.result.error}`}</td><td>${when(c.closedAt)}</td><td><a href="${executionHref(c.executionArn)}">Execution</a></td></tr>`,
      )}</tbody></table>`
    : '';
  return html`${status}${unreadable}<h1>Reviews waiting (${reviews.length})</h1>${table}${recent}`;
}
