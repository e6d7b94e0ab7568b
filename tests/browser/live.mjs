// The live preview of `saksgang serve` in headless Chromium (playwright-core).
//
//   node tests/browser/live.mjs URL FILE
//
// URL is a meeting page served by `saksgang serve`, FILE its meeting file. The
// page is opened once; then FILE is edited on disk and the page must show the
// edit by itself; broken (bad YAML) and the page must show the error dialog
// with the file's name, with the focus in it; fixed, and the dialog must go
// away by itself; broken again, and Escape must close the dialog and give the
// focus back. No console error, uncaught exception or policy violation is
// allowed. Each failure is printed on its own line; exit 0 when none.

import fs from 'node:fs';
import path from 'node:path';

import { ARGS, CHROMIUM, loadChromium } from './common.mjs';

const chromium = await loadChromium();

const [url, file] = process.argv.slice(2);
const failures = [];
const fail = (m) => { failures.push(m); console.log(`FEIL: ${m}`); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/// Polls `f` (which may throw while the page reloads) until it is true.
async function until(what, f, ms = 30000) {
  const end = Date.now() + ms;
  const start = Date.now();
  while (Date.now() < end) {
    try {
      if (await f()) {
        console.log(`${what}: ${Date.now() - start} ms`);
        return true;
      }
    } catch { /* the page is reloading */ }
    await sleep(50);
  }
  fail(`${what}: not within ${ms} ms`);
  return false;
}

function edit(from, to) {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  fs.writeFileSync(file, text.replace(from, to));
}

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
try {
  const page = await browser.newPage();
  // Chromium asks for /favicon.ico by itself; the site has none (and says so with a 404).
  const favicon = (u) => new URL(u).pathname === '/favicon.ico';
  page.on('response', (r) => {
    if (r.status() >= 400 && !favicon(r.url())) fail(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Failed to load resource/.test(m.text()) && favicon(m.location().url || url + 'favicon.ico')) return;
    if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) fail(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => fail(`exception: ${e.message}`));
  await page.goto(url);
  await until('the page listens', async () => (await page.getAttribute('html', 'data-direkte')) === 'ok');
  const name = path.basename(file);
  const open = 'dialog.direkte-feil[open]';

  edit('place: Drammen rådhus', 'place: Lampeland skole');
  await until('the edit shows by itself', async () => (await page.textContent('main')).includes('Lampeland skole'));

  edit('place: Lampeland skole', 'place: [Lampeland skole');
  await until('the error dialog shows', async () => (await page.$(open)) !== null);
  const dialog = await page.textContent(open);
  if (!dialog.includes(name)) fail(`the dialog does not name ${name}: ${dialog}`);
  if (!(await page.evaluate(() => document.activeElement?.closest('dialog') !== null))) {
    fail('the focus is not in the dialog');
  }
  if (!(await page.textContent('main')).includes('Lampeland skole')) fail('the last good page is not under the dialog');

  edit('place: [Lampeland skole', 'place: Drammen rådhus');
  await until('the dialog goes away by itself', async () =>
    (await page.$(open)) === null && (await page.textContent('main')).includes('Drammen rådhus'));

  edit('place: Drammen rådhus', 'place: [Drammen rådhus');
  await until('the error dialog shows again', async () => (await page.$(open)) !== null);
  await page.focus('main').catch(() => {});
  await page.keyboard.press('Escape');
  await until('Escape closes it', async () => (await page.$(open)) === null, 5000);
  edit('place: [Drammen rådhus', 'place: Drammen rådhus');
  await until('fixed again, the page is good', async () =>
    (await page.getAttribute('html', 'data-direkte')) === 'ok' && (await page.$(open)) === null);
} finally {
  await browser.close();
}
if (failures.length) {
  process.exit(1);
}
console.log('live preview: ok');
