// How long an edit takes to show in an open page of `saksgang serve`, in
// headless Chromium: for the bench, not a test.
//
//   node tests/browser/edit-time.mjs URL FILE FROM TO [ROUNDS]
//
// Opens URL once; then, ROUNDS times, replaces FROM by TO in FILE (and back,
// alternately) and waits until the page shows the new text by itself. Prints
// one line per round (milliseconds from the write to the text in the page)
// and the median.

import fs from 'node:fs';

import { ARGS, CHROMIUM, loadChromium } from './common.mjs';

const chromium = await loadChromium();
const [url, file, from, to, rounds = '6'] = process.argv.slice(2);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
const times = [];
try {
  const page = await browser.newPage();
  await page.goto(url);
  for (let i = 0; i < Number(rounds); i++) {
    const [a, b] = i % 2 === 0 ? [from, to] : [to, from];
    await sleep(1500);
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes(a)) throw new Error(`${file} has no ${a}`);
    // The page reloads by itself: wait for its load event (not by polling
    // fast, which would take the CPU the server needs), then look.
    let loaded = page.waitForEvent('load', { timeout: 60000 });
    const start = Date.now();
    fs.writeFileSync(file, text.replace(a, b));
    for (;;) {
      await Promise.race([loaded.catch(() => {}), sleep(250)]);
      try {
        if ((await page.textContent('main')).includes(b)) break;
      } catch { /* reloading */ }
      if (Date.now() - start > 60000) throw new Error('not within 60 s');
      loaded = page.waitForEvent('load', { timeout: 60000 });
    }
    times.push(Date.now() - start);
    console.log(`endring ${i + 1}: ${times[times.length - 1]} ms`);
  }
} finally {
  await browser.close();
}
const sorted = [...times].sort((x, y) => x - y);
console.log(`median: ${sorted[Math.floor(sorted.length / 2)]} ms`);
