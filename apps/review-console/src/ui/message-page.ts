import { html, type SafeHtml } from './html.js';

/** A page that only says something (not found, forbidden, an error), with a way back. */
export function messagePage(title: string, text: string): SafeHtml {
  return html`<h1>${title}</h1><p>${text}</p><p><a href="/">Back to the reviews</a></p>`;
}
