import { parseLambdaCause, type ErrorAnalysis } from '@saga/contracts';
import type { Review } from '../review-store.js';
import { html, type SafeHtml } from './html.js';
import { executionHref, when } from './layout.js';

export interface ReviewPageOptions {
  csrfToken: string;
  reviewer: string;
  /** The execution's status now, when known. */
  executionStatus?: string | undefined;
  /** What was wrong with the last submission. */
  issues?: readonly string[];
  /** The last submission's note, kept when it is shown again. */
  note?: string | undefined;
}

/** GET /reviews/:id: what failed, the analysis, and the decision form. Never the task token. */
export function reviewPage(review: Review, options: ReviewPageOptions): SafeHtml {
  const r = review.request;
  const lambda = parseLambdaCause(r.errorInfo.Cause);
  const stale =
    options.executionStatus !== undefined && options.executionStatus !== 'RUNNING'
      ? html`<div class="banner warn"><strong>The execution is ${options.executionStatus}</strong>A decision will most likely not be taken any more.</div>`
      : '';
  return html`<h1>Order ${r.orderId}: ${r.failedStep} failed</h1>
${stale}
<dl class="facts">
<dt>Order</dt><dd>${r.orderId}</dd>
<dt>Failed step</dt><dd>${r.failedStep}</dd>
<dt>Error</dt><dd><code>${r.errorInfo.Error}</code></dd>
${lambda?.errorMessage ? html`<dt>Message</dt><dd>${lambda.errorMessage}</dd>` : ''}
<dt>Requested</dt><dd>${when(r.requestedAt)}</dd>
<dt>Execution</dt><dd><a href="${executionHref(r.executionArn)}">${r.executionArn}</a>${options.executionStatus ? html` <span class="badge ${options.executionStatus}">${options.executionStatus}</span>` : ''}</dd>
</dl>
<h2>Cause</h2>
${r.errorInfo.Cause ? html`<pre><code>${r.errorInfo.Cause}</code></pre>` : html`<p class="muted">No cause was recorded.</p>`}
<h2>Analysis</h2>
${r.analysis ? analysisBlock(r.analysis) : review.analysisError ? html`<div class="banner warn"><strong>The analysis failed: ${review.analysisError.Error}</strong>${review.analysisError.Cause ?? ''}</div>` : html`<p class="muted">No analysis.</p>`}
<h2>Decision</h2>
${options.issues?.length ? html`<ul class="issues">${options.issues.map((i) => html`<li>${i}</li>`)}</ul>` : ''}
<form class="decision" method="post" action="/reviews/${review.id}/decision">
<input type="hidden" name="_csrf" value="${options.csrfToken}">
<label>Reviewer <input type="text" name="reviewer" value="${options.reviewer}" required maxlength="200" autocomplete="username"></label>
<label>Note <textarea name="note" rows="3" maxlength="2000">${options.note ?? ''}</textarea></label>
<div class="buttons">
<button type="submit" class="retry" name="outcome" value="retry">Retry</button>
<button type="submit" class="compensate" name="outcome" value="compensate">Compensate</button>
<button type="submit" class="fail" name="outcome" value="fail">Fail</button>
</div>
<p class="muted">Retry runs ${r.failedStep} again. Compensate undoes the committed steps, then fails the order. Fail ends the order without compensating.</p>
</form>`;
}

function analysisBlock(a: ErrorAnalysis): SafeHtml {
  const source =
    a.source === 'bedrock'
      ? html`<span class="badge bedrock">bedrock</span> <span class="muted">${a.modelId}</span>`
      : html`<span class="badge rules">rules</span>${a.llmFallback ? html` <span class="muted">(model not used: ${a.llmFallback})</span>` : ''}`;
  return html`<div class="analysis">
<dl class="facts">
<dt>Source</dt><dd>${source}</dd>
<dt>Category</dt><dd>${a.category}</dd>
<dt>Retry likely to help</dt><dd>${a.retriable ? 'yes' : 'no'}</dd>
<dt>Confidence</dt><dd>${Math.round(a.confidence * 100)}%</dd>
<dt>Likely cause</dt><dd>${a.likelyCause}</dd>
</dl>
${a.remediation.length ? html`<h3>Remediation</h3><ol>${a.remediation.map((s) => html`<li>${s}</li>`)}</ol>` : ''}
<p class="muted">Advisory only: the decision is yours.</p>
</div>`;
}
