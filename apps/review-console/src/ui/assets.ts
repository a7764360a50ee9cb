/**
 * The page's stylesheet and script, served from the console's own origin (the CSP allows
 * `'self'` only: no inline script or style, nothing from a CDN).
 */

export const STYLES = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5c6577; --line: #d9dee7; --blue: #1565c0; --ok: #2e7d32; --bad: #c62828; --warn: #ef6c00; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #f6f7f9; }
header { background: #1d2330; color: #fff; padding: 10px 24px; display: flex; gap: 16px; align-items: baseline; }
header a { color: #fff; text-decoration: none; font-weight: 600; }
header .queue { color: #aab3c5; font-size: 13px; overflow-wrap: anywhere; }
main { max-width: 1200px; margin: 0 auto; padding: 20px 24px 48px; }
h1 { font-size: 22px; margin: 4px 0 16px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); background: #fafbfc; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 6px 16px; background: #fff; border: 1px solid var(--line); padding: 14px 16px; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
pre { background: #fff; border: 1px solid var(--line); padding: 10px 12px; overflow: auto; max-height: 360px; white-space: pre-wrap; overflow-wrap: anywhere; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
.muted { color: var(--muted); }
.empty { background: #fff; border: 1px dashed var(--line); padding: 24px; text-align: center; color: var(--muted); }
.banner { padding: 10px 14px; border-radius: 6px; margin: 0 0 16px; border: 1px solid; }
.banner.ok { background: #e8f5e9; border-color: #a5d6a7; }
.banner.error { background: #fdecea; border-color: #ef9a9a; }
.banner.warn { background: #fff3e0; border-color: #ffcc80; }
.banner strong { display: block; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; background: #e3e7ee; }
.badge.RUNNING { background: #e3f2fd; color: var(--blue); }
.badge.SUCCEEDED { background: #e8f5e9; color: var(--ok); }
.badge.FAILED, .badge.TIMED_OUT, .badge.ABORTED { background: #fdecea; color: var(--bad); }
.badge.bedrock { background: #ede7f6; color: #4527a0; }
.badge.rules { background: #e0f2f1; color: #00695c; }
.analysis { background: #fff; border: 1px solid var(--line); padding: 12px 16px; }
form.decision { background: #fff; border: 1px solid var(--line); padding: 16px; display: grid; gap: 12px; max-width: 640px; }
form.decision label { display: grid; gap: 4px; font-weight: 600; }
form.decision input[type=text], form.decision textarea { font: inherit; padding: 6px 8px; border: 1px solid var(--line); border-radius: 4px; }
form.decision .buttons { display: flex; gap: 10px; flex-wrap: wrap; }
button { font: inherit; font-weight: 600; padding: 8px 16px; border-radius: 4px; border: 1px solid transparent; cursor: pointer; color: #fff; }
button.retry { background: var(--blue); }
button.compensate { background: var(--warn); }
button.fail { background: var(--bad); }
button:disabled { opacity: .6; cursor: progress; }
.issues { color: var(--bad); }
.diagram-wrap { background: #fff; border: 1px solid var(--line); padding: 8px; overflow: auto; }
svg.diagram { max-width: 100%; height: auto; font: 11px system-ui, sans-serif; }
svg.diagram .start { fill: #1d2330; }
svg.diagram .state rect { fill: #fff; stroke: #8a94a6; stroke-width: 1.2; }
svg.diagram .state.choice rect { fill: #fff8e1; stroke: #f9a825; }
svg.diagram .state.succeed rect { fill: #e8f5e9; stroke: var(--ok); }
svg.diagram .state.fail rect { fill: #fdecea; stroke: var(--bad); }
svg.diagram .state.visited rect { stroke: var(--blue); stroke-width: 2.5; fill: #e3f2fd; }
svg.diagram .state.current rect { stroke: var(--blue); stroke-width: 3.5; fill: #bbdefb; }
svg.diagram .state text { fill: var(--ink); }
svg.diagram .edge { fill: none; stroke: #b6bdca; stroke-width: 1.2; }
svg.diagram .edge.catch { stroke-dasharray: 4 3; }
svg.diagram .edge.taken { stroke: var(--blue); stroke-width: 2.5; }
ol.path { columns: 2; background: #fff; border: 1px solid var(--line); padding: 10px 10px 10px 36px; margin: 0; }
`;

/** Progressive enhancement only: pages work without it. */
export const SCRIPT = `
(function () {
  // One submit per form: the decision must not be sent twice.
  document.querySelectorAll('form').forEach(function (form) {
    form.addEventListener('submit', function () {
      setTimeout(function () { form.querySelectorAll('button').forEach(function (b) { b.disabled = true; }); }, 0);
    });
  });
  // Pages that change on their own (the list, a running execution) refresh while nobody is typing.
  var seconds = Number(document.body.dataset.refresh || 0);
  if (seconds > 0) {
    setTimeout(function () {
      var active = document.activeElement;
      var typing = active && (active.tagName === 'INPUT' || active.tagName === 'TEXTAREA');
      if (!typing) location.reload();
    }, seconds * 1000);
  }
})();
`;
