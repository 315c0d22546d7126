// The what-if on the page's main thread: reads the form, validates the changed fields with the
// command line's checks (scenarioFromDocuments: same rules, same messages), hands the run to a
// Web Worker made from this very script (a Blob: no request), then shows the summary beside the
// report's and redraws the replications' timelines and charts from the re-run's files with the
// report's own drawing code.

import { readReportData } from '../report/html/data.js';
import { inventoryFromTopology } from '../report/html/inventory.js';
import { acrossHtml, replicationHtml } from '../report/html/report.js';
import {
  statsMeans,
  whatIfCommand,
  whatIfSummaryHtml,
  type WhatIfData,
} from '../report/html/whatif.js';
import { esc } from '../report/html/escape.js';
import { InputError, formatIssue } from '../scenario/errors.js';
import { scenarioFromDocuments } from '../scenario/resolve.js';
import type { ScenarioSpec } from '../spec/types.js';
import type { RunRequest, WorkerReply } from './worker.js';

type Field = HTMLInputElement | HTMLSelectElement;

/** `codeUrl`: the blob: URL this script runs from; the worker runs the same. */
export function startPage(doc: Document, codeUrl: string): void {
  const dataEl = doc.getElementById('ccsim-whatif-data');
  const form = doc.getElementById('whatif-form') as HTMLFormElement | null;
  const resultsEl = doc.getElementById('results');
  if (!dataEl || !form || !resultsEl || codeUrl === '') return;
  const results: HTMLElement = resultsEl;
  const data = JSON.parse(dataEl.textContent ?? '') as WhatIfData;
  const byId = (id: string): HTMLElement => doc.getElementById(id)!;
  const status = byId('whatif-status');
  const progress = byId('whatif-progress') as HTMLProgressElement;
  const errors = byId('whatif-errors');
  const command = byId('whatif-command');
  const result = byId('whatif-result');
  const runButton = byId('whatif-run') as HTMLButtonElement;
  const originalResults = results.innerHTML;
  let worker: Worker | undefined;

  const fields = (): Field[] => [...form.querySelectorAll<Field>('input[name], select[name]')];
  const changedSets = (): string[] =>
    fields()
      .filter((f) => f.value !== f.dataset['initial'])
      .map((f) => `${f.name}=${f.value}`);
  const showCommand = (): void => {
    for (const f of fields()) f.classList.toggle('edited', f.value !== f.dataset['initial']);
    const sets = changedSets();
    command.innerHTML =
      sets.length === 0
        ? ''
        : `Same as <code>${esc(whatIfCommand(data.command, [...data.base.sets, ...sets]))}</code>`;
  };
  runButton.disabled = false;
  form.addEventListener('input', showCommand);
  form.addEventListener('change', showCommand);

  const stop = (): void => {
    worker?.terminate();
    worker = undefined;
    runButton.disabled = false;
    progress.hidden = true;
  };

  byId('whatif-reset').addEventListener('click', () => {
    stop();
    for (const f of fields()) f.value = f.dataset['initial'] ?? f.value;
    showCommand();
    errors.textContent = '';
    status.textContent = '';
    result.innerHTML = '';
    results.innerHTML = originalResults;
    // Replications drawn when chosen are placeholders again: the page's script draws the chosen one.
    doc.getElementById('rep')?.dispatchEvent(new Event('change'));
  });

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    stop();
    errors.textContent = '';
    result.innerHTML = '';
    const sets = [...data.base.sets, ...changedSets()];
    const opts = { ...data.base, sets };
    let spec: ScenarioSpec;
    try {
      spec = scenarioFromDocuments(data.docs, opts);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      errors.textContent = e.issues.map((i) => `error ${formatIssue(i)}`).join('\n');
      status.textContent = '';
      return;
    }
    const t0 = performance.now();
    runButton.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    status.textContent = 'running…';
    const w = new Worker(codeUrl);
    worker = w;
    w.onerror = (e) => {
      stop();
      errors.textContent = `error the re-run failed: ${e.message}`;
    };
    w.onmessage = (e: MessageEvent<WorkerReply>) => {
      if (w !== worker) return;
      const m = e.data;
      if (m.type === 'progress') {
        progress.value = m.total === 0 ? 1 : m.done / m.total;
        status.textContent = `replication ${Math.min(m.total, Math.floor(m.done) + 1)} of ${m.total}…`;
      } else if (m.type === 'error') {
        stop();
        errors.textContent = m.messages.join('\n');
        status.textContent = '';
      } else {
        stop();
        const files = new Map(m.files);
        const secs = ((performance.now() - t0) / 1000).toFixed(1);
        status.textContent = `re-run in ${secs} s`;
        show(files, spec, sets);
      }
    };
    const req: RunRequest = { docs: data.docs, opts, replications: data.replications };
    w.postMessage(req);
  });

  function show(files: Map<string, string>, spec: ScenarioSpec, sets: string[]): void {
    const head =
      sets.length === 0
        ? 'Re-run as reported'
        : `Re-run with ${sets.map((s) => `<code>--set ${esc(s)}</code>`).join(' ')}`;
    result.innerHTML = `<h3>${head}</h3>${whatIfSummaryHtml(data.original, statsMeans(files.get('stats.csv')))}<p class="note">The timeline and charts below are the re-run's; <b>Back to the run</b> shows the report's again.</p>`;
    const d = readReportData(files);
    const inv = inventoryFromTopology(spec.topology);
    const shown = d.shown;
    const sel = doc.getElementById('rep') as HTMLSelectElement | null;
    const current = sel ? Number(sel.value) : shown[0];
    const parts = shown.map((rep) => replicationHtml(d, inv, rep, rep !== current));
    if (d.replications.length > 1) parts.push(acrossHtml(d));
    results.innerHTML = parts.join('\n');
  }
}
