// The bundle report.html carries (built to dist/web/whatif.js by scripts/build-web.js): on the
// page it wires the what-if form; loaded as a Web Worker from the same blob: URL it runs the
// simulation. One copy of the code serves both.

import { startPage } from './page.js';
import { startWorker, type WorkerScope } from './worker.js';

if (typeof document === 'undefined') startWorker(self as unknown as WorkerScope);
else startPage(document, (document.currentScript as HTMLScriptElement | null)?.src ?? '');
