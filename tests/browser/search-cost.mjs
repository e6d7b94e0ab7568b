// What a search costs in headless Chromium: for each query, the bytes of the
// search index's files the page fetched (sok/indeks.js, sok/t/, sok/p/, sok/d/)
// and the milliseconds from submitting the query to its first result in the
// page. A benchmark: it prints figures and asserts nothing.
//
//   node search-cost.mjs SITE_DIR QUERY...
//
// SITE_DIR is a built web edition, served over http (common.mjs). Each query
// runs in a fresh browser context (no cache), typed in the search box of
// sok/ and submitted with Enter, as a reader would. One line per query:
//
//   query kommune bytes 412345 files 9 first_ms 83 results 20

import { loadChromium, CHROMIUM, ARGS, serve } from './common.mjs';
import path from 'node:path';

const [site, ...queries] = process.argv.slice(2);
if (!site || !queries.length) {
  console.error('usage: node search-cost.mjs SITE_DIR QUERY...');
  process.exit(2);
}
const root = path.resolve(site);
const chromium = await loadChromium();
const server = await serve(root, '/');
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
const INDEX = /\/sok\/(indeks\.js|[tpd]\/)/;

try {
  for (const q of queries) {
    const context = await browser.newContext();
    const page = await context.newPage();
    let bytes = 0;
    let files = 0;
    const pending = [];
    page.on('response', (r) => {
      if (!INDEX.test(new URL(r.url()).pathname)) return;
      files++;
      if (process.env.SEARCH_COST_URLS) console.error(r.url());
      pending.push(r.body().then((b) => { bytes += b.length; }, () => {}));
    });
    await page.goto(`${base}sok/`, { waitUntil: 'load' });
    const result = await page.evaluate((query) => new Promise((ok) => {
      const input = document.getElementById('sok-q');
      const list = document.getElementById('sok-treff');
      const root = document.getElementById('sok');
      input.value = query;
      let first = null;
      const t0 = performance.now();
      const check = () => {
        if (first === null && list.children.length) first = performance.now() - t0;
        if (root.getAttribute('data-ferdig') === 'ja' && (first !== null || !list.children.length)) {
          obs.disconnect();
          ok({ first: first ?? performance.now() - t0, results: list.children.length });
        }
      };
      const obs = new MutationObserver(check);
      obs.observe(root, { subtree: true, childList: true, attributes: true });
      document.getElementById('sok-skjema').requestSubmit();
    }), q);
    await Promise.all(pending);
    console.log(`query ${q} bytes ${bytes} files ${files} first_ms ${Math.round(result.first)} results ${result.results}`);
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
