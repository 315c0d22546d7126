// Opens a report page in headless Chromium (the Debian package at /usr/bin/chromium; the
// playwright browser download cannot work offline) with every non-file request refused and
// recorded, and page errors and console errors collected.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Flags for a quiet, offline headless run (chromium.launch adds a fresh user-data dir). */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Whether browser tests run: without Chromium they fail under CI=true and are skipped (with a
 * message saying why) elsewhere.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') return true; // let the tests run and fail loudly
  process.stderr.write(
    `skipping browser tests: ${CHROMIUM} not found (apt-get install chromium; they fail under CI=true)\n`,
  );
  return false;
}

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `${CHROMIUM} not found: install it (apt-get install -y chromium) — browser tests cannot be skipped in CI`,
    );
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

export interface OpenedPage {
  page: Page;
  /** Uncaught exceptions and console errors. */
  errors: string[];
  /** Every request whose URL is not file: (each was refused). */
  network: string[];
  /** alert/confirm/prompt dialogs the page opened. */
  dialogs: string[];
}

export async function openReport(
  browser: Browser,
  file: string,
  viewport = { width: 1200, height: 900 },
  /** Appended to the file's URL (`#rep=3`). */
  hash = '',
): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const errors: string[] = [];
  const network: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    network.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href + hash, { waitUntil: 'load' });
  return { page, errors, network, dialogs };
}
