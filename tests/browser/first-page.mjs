// The first results of queries in headless Chromium, with what they loaded,
// as sok.js finds them and as its complete ranking does (everything(), asked
// for with window.saksgangSokHel): for tests/it/search_index.rs, which
// compares the two and bounds what a query loads.
//
//   node first-page.mjs SITE_DIR PAGES QUERY...
//
// SITE_DIR is a built web edition, served over http (common.mjs); PAGES is how
// many pages of results to show (the first, then "Vis flere"). A query may end
// with filters as in the page's address: `kommunen vedtak?ar=2011&type=s`. Prints one JSON
// line per query and way: {query, full, results: [address...], status, bytes,
// files}, where bytes and files count the index files (sok/indeks.js, t/, p/,
// d/) fetched until the first page was shown.

import { loadChromium, CHROMIUM, ARGS, serve } from './common.mjs';
import path from 'node:path';

const [site, pages, ...queries] = process.argv.slice(2);
if (!site || !pages || !queries.length) {
  console.error('usage: node first-page.mjs SITE_DIR PAGES QUERY...');
  process.exit(2);
}
const root = path.resolve(site);
const chromium = await loadChromium();
const server = await serve(root, '/');
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
const INDEX = /\/sok\/(indeks\.js|[tpd]\/)/;

const done = () => document.getElementById('sok').getAttribute('data-ferdig') === 'ja';
try {
  for (const q of queries) {
    for (const full of [false, true]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      if (full) await page.addInitScript(() => { window.saksgangSokHel = true; });
      let bytes = 0;
      let files = 0;
      let counting = true;
      const pending = [];
      page.on('response', (r) => {
        if (!counting || !INDEX.test(new URL(r.url()).pathname)) return;
        files++;
        pending.push(r.body().then((b) => { bytes += b.length; }, () => {}));
      });
      await page.goto(`${base}sok/`, { waitUntil: 'load' });
      const [words, filters] = q.split('?');
      for (const [name, value] of new URLSearchParams(filters || '')) {
        await page.selectOption({ organ: '#sok-organ', ar: '#sok-ar', type: '#sok-type' }[name], value);
      }
      await page.waitForFunction(done);
      await page.fill('#sok-q', words);
      await page.evaluate(() => {
        document.getElementById('sok').setAttribute('data-ferdig', 'nei');
        document.getElementById('sok-skjema').requestSubmit();
      });
      try {
        await page.waitForFunction(done, null, { timeout: 20000 });
      } catch (e) {
        console.log(JSON.stringify({ query: q, full, timeout: String(e), status: await page.textContent('#sok-status'), errors }));
        process.exitCode = 1;
        await context.close();
        continue;
      }
      await Promise.all(pending);
      counting = false;
      const status = await page.textContent('#sok-status');
      for (let n = 1; n < Number(pages); n++) {
        if (await page.isHidden('#sok-flere')) break;
        await page.evaluate(() => document.getElementById('sok').setAttribute('data-ferdig', 'nei'));
        await page.click('#sok-flere');
        await page.waitForFunction(done);
      }
      const results = await page.$$eval('#sok-treff a.sok-tittel', (as) => as.map((a) => a.getAttribute('href')));
      console.log(JSON.stringify({ query: q, full, results, status, bytes, files, errors }));
      await context.close();
    }
  }
} finally {
  await browser.close();
  server.close();
}
