import type { Flash } from '../security.js';
import { html, type SafeHtml } from './html.js';

export interface PageOptions {
  title: string;
  queueUrl: string;
  body: SafeHtml;
  flash?: Flash | undefined;
  /** Reload the page after this many seconds (by /console.js). */
  refreshSeconds?: number | undefined;
}

/** The document around every page. */
export function layout(options: PageOptions): string {
  const flash = options.flash
    ? html`<div class="banner ${options.flash.kind}" role="status"><strong>${options.flash.title}</strong>${options.flash.text}</div>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Review console</title>
<link rel="stylesheet" href="/console.css">
<script src="/console.js" defer></script>
</head>
<body${options.refreshSeconds ? html` data-refresh="${options.refreshSeconds}"` : ''}>
<header><a href="/">Review console</a><span class="queue">${options.queueUrl}</span></header>
<main>
${flash}
${options.body}
</main>
</body>
</html>
`.text;
}

/** `2026-11-22 10:00:00 UTC`. */
export function when(value: Date | string | undefined): string {
  if (value === undefined) return '—';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return `${date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`;
}

export function executionHref(executionArn: string): string {
  return `/executions/${encodeURIComponent(executionArn)}`;
}
