// The page shell of report.html: inline CSS and script, no external resource of any kind, so
// the file opens from disk on a machine with no network.

import { esc, jsonForScript } from './escape.js';

const CSS = `
:root { --fg:#1d2327; --muted:#5f6b73; --line:#dde2e6; --bg:#ffffff; --panel:#f6f8fa; --bad:#c62828; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1160px; margin: 0 auto; padding: 18px 20px 40px; }
h1 { font-size: 21px; margin: 0 0 6px; }
h2 { font-size: 18px; margin: 28px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 22px 0 6px; }
h4 { font-size: 13px; margin: 14px 0 4px; color: var(--muted); font-weight: 600; }
p.note { color: var(--muted); margin: 4px 0 8px; }
.bad { color: var(--bad); }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--panel); padding: 1px 4px; border-radius: 3px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0 0; font-size: 13px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; overflow-wrap: anywhere; }
nav.reps { position: sticky; top: 0; z-index: 2; background: var(--bg); padding: 8px 0; border-bottom: 1px solid var(--line); margin-top: 10px; }
nav.reps select { font: inherit; padding: 2px 4px; }
.kfs { display: grid; grid-template-columns: repeat(7, 1fr); gap: 8px; margin: 8px 0; }
.kf { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; }
.kf .v { font-size: 17px; font-weight: 600; white-space: nowrap; }
.kf .k { font-size: 11.5px; color: var(--muted); }
.kf.bad { border-color: #ef9a9a; background: #fdecea; }
.kf.bad .v { color: var(--bad); }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; font-size: 11px; fill: var(--fg); }
svg .tick { font-size: 10px; fill: var(--muted); }
svg .grid { stroke: #e9ecef; stroke-width: 1; }
svg .gh { font-weight: 600; font-size: 12px; }
svg .gl { stroke: #c9d0d6; }
svg .rl { fill: #3c464d; }
svg .rl.top { fill: #111; }
svg .uc { fill: #7b868e; font-style: italic; font-size: 10.5px; }
svg .ph { font-weight: 600; font-size: 12px; }
svg .sl { font-size: 9.5px; pointer-events: none; fill: #1d2327; }
svg .sl.primary, svg .sl.bad, svg .sl.split, svg .sl.fault { fill: #fff; }
.seg { stroke: #fff; stroke-width: 0.5; }
.seg:hover, .wf:hover { stroke: #000; stroke-width: 1; }
.primary { fill: #2e7d32; } .backup { fill: #a5d6a7; } .ok { fill: #66bb6a; } .transit { fill: #f9a825; }
.bad { fill: #e53935; } .split { fill: #8e24aa; } .other { fill: #90a4ae; } .seg.fault { fill: #c62828; }
.fault-span { fill: #e53935; fill-opacity: 0.07; }
.fault-line { stroke: #c62828; stroke-width: 1.2; stroke-dasharray: 4 3; }
.mk { fill: #6a1b9a; }
.lane { fill: #f1f3f5; }
.area { fill: #1565c0; fill-opacity: 0.6; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 12px; color: var(--muted); margin: 4px 0 6px; }
.legend .sw { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 5px; vertical-align: -2px; }
.legend .sw.dashed { height: 0; border-top: 2px dashed; background: none; vertical-align: 3px; }
.legend .sw.line-sw { height: 0; border-top: 2px solid #222; background: none; vertical-align: 3px; }
.sw.primary { background: #2e7d32; } .sw.backup { background: #a5d6a7; } .sw.ok { background: #66bb6a; } .sw.transit { background: #f9a825; }
.sw.bad { background: #e53935; } .sw.split { background: #8e24aa; } .sw.other { background: #90a4ae; } .sw.fault { background: #c62828; }
.sw.ans { background: #81c784; } .sw.abd { background: #ffa726; } .sw.drp { background: #e53935; }
.sw.mk { width: 0; height: 0; border-radius: 0; border-left: 6px solid transparent; border-right: 6px solid transparent; border-top: 10px solid #6a1b9a; }
.sw.miss { background: #ffb74d; } .sw.lost { background: #e53935; } .sw.area { background: #1565c0; opacity: .6; }
.wfgrid { display: grid; grid-template-columns: 1fr 1fr; gap: 10px 16px; }
.wfcard { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; background: #fff; }
.wfcard.failed { border-color: #ef9a9a; }
.wfcard figcaption { font-size: 12.5px; margin-bottom: 2px; }
.wfcard .path { color: var(--muted); font-size: 11.5px; }
.wf { fill-opacity: 0.45; }
.wf.crit { fill-opacity: 1; }
.wf.fault, .wf.failed { fill: #c62828; fill-opacity: 1; }
.wf.detect { fill: #fb8c00; } .wf.order { fill: #7e57c2; } .wf.promote { fill: #2e7d32; } .wf.client { fill: #0288d1; }
svg .wl { font-size: 10.5px; fill: #3c464d; }
svg .wl.bad { fill: var(--bad); font-weight: 600; }
svg .wl.in { fill: #fff; pointer-events: none; }
.line { fill: none; stroke-width: 2; }
.line.dashed { stroke-width: 1.4; stroke-dasharray: 5 3; }
.line.offered { stroke: #222; stroke-width: 1.6; }
.bar.ans { fill: #81c784; } .bar.abd { fill: #ffa726; } .bar.drp { fill: #e53935; }
.bar.miss { fill: #ffb74d; } .bar.lost { fill: #e53935; }
.target-miss { fill: #c62828; } .sw.target-miss { background: #c62828; }
.hover { fill: transparent; }
.hover:hover { fill: #000; fill-opacity: 0.04; }
.strips { display: grid; grid-template-columns: 1fr 1fr; gap: 6px 16px; }
.box { fill: #bbdefb; stroke: #1565c0; }
.median { stroke: #0d47a1; stroke-width: 2; }
.whisker { stroke: #1565c0; }
.dot { fill: #0d47a1; fill-opacity: 0.65; }
.mean { fill: #c62828; }
table.data { border-collapse: collapse; font-size: 12.5px; margin: 6px 0; }
table.data th, table.data td { padding: 3px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: middle; }
table.data th { background: var(--panel); font-weight: 600; }
table.data td.n, table.data th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.data tr.badrow td { background: #fff8f0; }
table.data td.worse { color: var(--bad); font-weight: 600; }
table.data td.better { color: #2e7d32; }
.wfgrid.one { grid-template-columns: 1fr; }
.runs { display: grid; gap: 12px; }
.runs > div { min-width: 0; }
footer { margin-top: 30px; color: var(--muted); font-size: 12px; }
@media print { nav.reps { position: static; } section.rep[hidden] { display: block !important; } }
`;

/**
 * `unpack(text)`: the text of a packed script element (base64 of gzip: whatif-input.ts packText)
 * as a Promise of the text, unpacked with the browser's own DecompressionStream. A function
 * declaration for the page's inline scripts (this one's and the what-if's loader).
 */
export const UNPACK_JS = `function unpack(text) {
    var b = atob(text.trim());
    var bytes = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) bytes[i] = b.charCodeAt(i);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text();
  }`;

/** A script element carrying packed data (UNPACK_JS reads it), never run as is. */
export function packedScriptHtml(attrs: string, packed: string): string {
  if (!/^[A-Za-z0-9+/=]*$/.test(packed))
    throw new Error('packed page data must be base64 (programmer error)');
  return `<script type="text/plain" ${attrs}>${packed}</script>`;
}

/**
 * Switches the replication shown (select, or #rep=N in the address). A replication written as a
 * placeholder (report.ts, HtmlOptions.pack) is drawn the first time it is chosen: its section,
 * as drawn when the page was written, is unpacked (base64, then gzip: the browser's own
 * DecompressionStream) from its script element and takes the placeholder's place. The what-if's
 * "Back to the run" brings placeholders back and fires a change, which draws the chosen one again.
 */
const SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('ccsim-data').textContent);
  var sel = document.getElementById('rep');
  if (!sel) return;
  function show(v) {
    var secs = document.querySelectorAll('section.rep');
    for (var i = 0; i < secs.length; i++) secs[i].hidden = secs[i].getAttribute('data-rep') !== v;
  }
  ${UNPACK_JS}
  function draw(v) {
    var late = document.querySelector('section.rep[data-late][data-rep="' + v + '"]');
    var packed = document.querySelector('script.ccsim-rep[data-rep="' + v + '"]');
    if (!late || !packed) return;
    function fail(why) {
      var note = late.querySelector('p.late');
      if (note) note.textContent = 'Replication ' + v + ' cannot be drawn in this browser: ' + why;
    }
    if (typeof DecompressionStream === 'undefined') return fail('it lacks DecompressionStream');
    unpack(packed.textContent).then(function (html) {
      if (!late.isConnected) return; // drawn meanwhile, or the what-if redrew the results
      var t = document.createElement('template');
      t.innerHTML = html;
      var sec = t.content.firstElementChild;
      sec.hidden = sel.value !== v;
      late.replaceWith(sec);
    }, function (e) { fail(String(e)); });
  }
  sel.addEventListener('change', function () {
    show(sel.value);
    draw(sel.value);
    try { history.replaceState(null, '', '#rep=' + sel.value); } catch (e) { /* file: pages may refuse */ }
  });
  var m = /rep=(\\d+)/.exec(location.hash);
  if (m && data.shown.indexOf(Number(m[1])) >= 0) sel.value = m[1];
  show(sel.value);
  draw(sel.value);
})();
`;

/**
 * The page. `scripts`: more script elements after the page's own (the what-if); a page with
 * them may also run scripts and a Web Worker from blob: URLs it makes itself (never a request).
 */
export function pageHtml(title: string, body: string, data: unknown, scripts = ''): string {
  const blob = scripts === '' ? '' : ' blob:';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No network, even if a future chart forgot: everything this page needs is inline.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'${blob}; img-src data:${blob === '' ? '' : '; worker-src blob:'}">`,
    `<title>${esc(title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    `<main>${body}</main>`,
    `<script type="application/json" id="ccsim-data">${jsonForScript(data)}</script>`,
    `<script>${SCRIPT}</script>`,
    ...(scripts === '' ? [] : [scripts]),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
