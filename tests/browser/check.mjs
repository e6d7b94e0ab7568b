// Browser checks of a built saksgang site, in headless Chromium (playwright-core).
//
//   node tests/browser/check.mjs spec.json      (once: npm ci in tests/browser)
//
// The spec names the sites and what to check:
//   offline      folder of the offline edition, opened from disk (file://)
//   web          folder of the web edition, served by a small HTTP server started
//                here on 127.0.0.1 (free port) under web_prefix (default "/")
//   crawl        crawl the offline site from index.html; crawl_web does the same
//                for the web site from web_prefix
//   searches     [{q, expect_title_contains, expect_kind?, expect_mark?, params?,
//                expect_every_meta_contains?}], run on each site given
//                (sok/index.html?q=… offline, sok/?q=… on the web); params are
//                more query parameters (the filters: organ, ar, type)
//   keyboard     [{q, expect_title_contains}]: from the front page, Tab to the
//                search box, type q, press Enter; the results page must show it
//   no_js        text the search page must show with JavaScript turned off
//   redirects    [{from, to_contains, hash?}], run on each site given; hash: the
//                anchor the final URL must have (an old link's, kept)
//
// A crawl visits every internal HTML page once (breadth first) and checks each
// a[href], link[href], script[src], img[src] and form[action] on it: the target
// file must exist (offline a link must name a file, never a folder) and a
// #fragment must name an element id (or a[name]) on the target page. Links to
// other schemes or hosts are only counted as external. On every page opened
// (crawl, search, search result, redirect) a console error, an uncaught
// exception, an HTTP error status or a request leaving the site (offline:
// anything not file://; web: anything not to the local server) is a failure.
// A search waits for #sok[data-ferdig="ja"], then needs a result in
// #sok-treff > li whose a.sok-tittel contains the expected text (and whose
// .sok-type is the expected kind), a <mark> with the expected text if asked, and
// that result's link must open without errors at an existing #fragment.
// Every crawled page must have a Content-Security-Policy <meta>; on every page
// opened, a securitypolicyviolation event or a console message about the
// Content Security Policy is a failure; and on each site an inline script added
// to the start page must be refused (proof the policy is enforced and seen).
// A redirect must end, within 5 s, at a URL containing to_contains.
// Each failure is printed on its own line; exit 0 when none, 1 otherwise.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { ARGS, CHROMIUM, loadChromium, serve, serverFile } from './common.mjs';

const chromium = await loadChromium();

const specFile = process.argv[2];
let spec;
try {
  spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
} catch (e) {
  console.error(specFile ? `cannot read the spec ${specFile}: ${e.message}` : 'usage: node check.mjs spec.json');
  process.exit(1);
}

const ATTR = { A: 'href', LINK: 'href', SCRIPT: 'src', IMG: 'src', FORM: 'action' };

const failures = [];
const stats = { pages: 0, links: 0, external: 0, anchors: 0, searches: 0, redirects: 0, csp: 0 };
let here = '';          // the page being checked, for messages
let hereSite = null;    // its site, to judge the requests it makes
const fail = (where, what) => failures.push({ where, what });
const firstLine = (s) => String(s).split('\n')[0];

// ---- the sites ------------------------------------------------------------

const query = (q, params) => new URLSearchParams({ q, ...(params ?? {}) }).toString();

function offlineSite(root) {
  const base = pathToFileURL(root + '/').href;
  return {
    name: 'offline', base, start: base + 'index.html',
    fileOf: (u) => (u.protocol === 'file:' ? { file: fileURLToPath(u) } : null),
    badRequest: (url) => !/^(file|data|blob|about):/.test(url),
    searchUrl: (q, params) => `${base}sok/index.html?${query(q, params)}`,
    redirectUrl: (from) => {
      const [p, hash] = from.split('#');
      return base + (p === '' || p.endsWith('/') ? p + 'index.html' : p) + (hash === undefined ? '' : '#' + hash);
    },
    foldersOk: false,
  };
}

function webSite(root, prefix, origin) {
  const base = origin + prefix;
  return {
    name: 'web', base, start: base,
    fileOf: (u) => (u.origin === origin ? { file: serverFile(root, prefix, u.pathname) } : null),
    badRequest: (url) => !url.startsWith(origin + '/') && !/^(data|blob|about):/.test(url),
    searchUrl: (q, params) => `${base}sok/?${query(q, params)}`,
    redirectUrl: (from) => base + from,
    foldersOk: true,
  };
}

const show = (site, url) => (url.startsWith(site.base) ? url.slice(site.base.length) || './' : url);

// ---- the browser ----------------------------------------------------------

let browser;
try {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
} catch (e) {
  console.error(`could not start Chromium at ${CHROMIUM} (set CHROMIUM to another path): ${firstLine(e.message)}`);
  process.exit(1);
}

let page;
/** A fresh page with the listeners that turn its errors and stray requests into failures. */
async function newPage() {
  page = await browser.newPage();
  page.setDefaultTimeout(15000);
  // A Content-Security-Policy violation, seen by the page (the event) or
  // reported by the browser (a console message of any level): both fail.
  await page.exposeFunction('__saksgangCsp', (what) => fail(here, `CSP violation: ${what}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__saksgangCsp(`${e.effectiveDirective} refused ${e.blockedURI || 'inline'}`
        + ` (${e.sourceFile ? `${e.sourceFile}:${e.lineNumber}` : 'the page'})`);
    });
  });
  page.on('console', (m) => {
    if (/content.security.policy/i.test(m.text())) {
      fail(here, `CSP console ${m.type()}: ${firstLine(m.text())}`);
      return;
    }
    if (m.type() !== 'error') return;
    const at = m.location()?.url;
    if (at && new URL(at).pathname === '/favicon.ico') return;   // the browser's own guess, not a site link
    const elsewhere = at && at.split('#')[0] !== page.url().split('#')[0];
    fail(here, `console error: ${firstLine(m.text())}${elsewhere ? ` (${at})` : ''}`);
  });
  page.on('pageerror', (e) => fail(here, `JavaScript error: ${firstLine(e.message)}`));
  page.on('request', (r) => {
    if (hereSite?.badRequest(r.url())) fail(here, `network request to ${r.url()}`);
  });
}
await newPage();

/** Goes to url and waits for load; false (with a failure) when it cannot be opened. */
async function open(site, url, where, waitUntil = 'load') {
  here = where;
  hereSite = site;
  try {
    const res = await page.goto(url, { waitUntil });
    if (res && res.status() >= 400) { fail(where, `HTTP ${res.status()} for ${url}`); return false; }
    return true;
  } catch (e) {
    fail(where, `could not open ${url}: ${firstLine(e.message)}`);
    await page.close();   // its error page could still interrupt the next navigation
    await newPage();
    return false;
  }
}

/** Whether the page has an element with this id or an a[name] of it. */
const hasAnchor = (id) => page.evaluate((id) => !!(document.getElementById(id)
  || [...document.querySelectorAll('a[name]')].some((a) => a.name === id)), id);

// ---- the checks -----------------------------------------------------------

const kinds = new Map();
function kindOf(file) {
  if (!kinds.has(file)) {
    let k = 'missing';
    try { k = fs.statSync(file).isDirectory() ? 'folder' : 'file'; } catch { /* missing */ }
    kinds.set(file, k);
  }
  return kinds.get(file);
}

async function crawl(site) {
  const queue = [site.start];
  const queued = new Set([site.fileOf(new URL(site.start)).file]);
  const ids = new Map();      // HTML file → ids on it once visited
  const anchors = [];         // fragments to look up once every page is visited
  while (queue.length) {
    const url = queue.shift();
    const where = `[${site.name}] ${show(site, url)}`;
    if (!await open(site, url, where)) continue;
    stats.pages++;
    const { links, names, csp } = await page.evaluate((ATTR) => ({
      csp: document.querySelector('head > meta[http-equiv="Content-Security-Policy" i]')?.content ?? null,
      links: [...document.querySelectorAll('a[href], link[href], script[src], img[src], form[action]')]
        .map((e) => {
          const raw = e.getAttribute(ATTR[e.tagName]);
          let abs = null;
          try { abs = new URL(raw, document.baseURI).href; } catch { /* left null */ }
          return { tag: e.tagName.toLowerCase(), raw, abs };
        }),
      names: [...document.querySelectorAll('[id]')].map((e) => e.id)
        .concat([...document.querySelectorAll('a[name]')].map((a) => a.name)),
    }), ATTR);
    if (!csp) fail(where, 'the page has no Content-Security-Policy <meta> in its <head>');
    ids.set(site.fileOf(new URL(url)).file, new Set(names));
    for (const { tag, raw, abs } of links) {
      if (!abs) { fail(where, `<${tag}> has an invalid URL "${raw}"`); continue; }
      const u = new URL(abs);
      const local = site.fileOf(u);
      if (!local) { stats.external++; continue; }
      stats.links++;
      const what = `<${tag}> link to ${show(site, u.href)}`;   // resolved, so one message for all pages
      if (!local.file) { fail(where, `${what} points outside the site`); continue; }
      const kind = kindOf(local.file);
      if (kind === 'missing') { fail(where, `${what} is broken: no such file`); continue; }
      if (kind === 'folder') {
        fail(where, `${what} names a folder, not a file${site.foldersOk ? ' (the link should end in /)' : ''}`);
        continue;
      }
      if (/\.html?$/.test(local.file)) {
        if (!queued.has(local.file)) {
          queued.add(local.file);
          queue.push(u.href.split(/[?#]/)[0]);
        }
        if (u.hash.length > 1) {
          stats.anchors++;
          anchors.push({ where, what, file: local.file, id: decodeURIComponent(u.hash.slice(1)) });
        }
      }
    }
  }
  for (const { where, what, file, id } of anchors) {
    const names = ids.get(file);
    if (names && !names.has(id)) fail(where, `${what}: the target page has no element with id "${id}"`);
  }
}

/**
 * Proof that the policy is enforced on this site and that a violation is seen:
 * on a page without the listeners, an inline script added to the start page
 * must be refused with a securitypolicyviolation event, not run.
 */
async function cspEnforced(site) {
  const where = `[${site.name}] CSP check on ${show(site, site.start)}`;
  const p = await browser.newPage();
  try {
    await p.goto(site.start, { waitUntil: 'load' });
    const seen = await p.evaluate(() => new Promise((done) => {
      document.addEventListener('securitypolicyviolation', (e) => done(e.effectiveDirective), { once: true });
      const s = document.createElement('script');
      s.textContent = 'window.__saksgangInline = true;';
      document.head.append(s);
      setTimeout(() => done(window.__saksgangInline ? 'ran' : 'nothing'), 3000);
    }));
    if (seen === 'ran') fail(where, 'an inline script ran: the Content-Security-Policy is not enforced');
    else if (!/^script-src/.test(seen)) fail(where, `an inline script gave no script-src violation (${seen})`);
    else stats.csp++;
  } catch (e) {
    fail(where, `could not check the policy: ${firstLine(e.message)}`);
  } finally {
    await p.close();
  }
}

async function search(site, s) {
  stats.searches++;
  const url = site.searchUrl(s.q, s.params);
  const where = `[${site.name}] search "${s.q}"${s.params ? ` ${JSON.stringify(s.params)}` : ''}`;
  if (!await open(site, url, where)) return;
  await results(site, s, where);
}

/** Checks the results on the search page now open, and follows the expected one. */
async function results(site, s, where) {
  try {
    await page.waitForSelector('#sok[data-ferdig="ja"]', { state: 'attached', timeout: 10000 });
  } catch {
    fail(where, 'the search never finished: #sok did not get data-ferdig="ja" within 10 s');
    return;
  }
  const hits = await page.$$eval('#sok-treff > li', (lis) => lis.map((li) => {
    const a = li.querySelector('a.sok-tittel');
    return {
      title: a?.textContent.trim() ?? '', href: a?.href ?? '',
      kind: li.querySelector('.sok-type')?.textContent.trim() ?? '',
      meta: li.querySelector('.sok-meta')?.textContent.trim() ?? '',
      marks: [...li.querySelectorAll('a.sok-tittel mark, .sok-utdrag mark')].map((m) => m.textContent),
    };
  }));
  const top = hits.slice(0, 5).map((h, i) => `${i + 1}. ${h.title} [${h.kind}]`).join('  ');
  console.log(`${where}: ${hits.length} shown; ${top || 'no results'}`);
  const want = s.expect_title_contains ?? '';
  const i = hits.findIndex((h) => h.title.includes(want) && (!s.expect_kind || h.kind === s.expect_kind));
  if (i < 0) {
    fail(where, `no result whose title contains "${want}"${s.expect_kind ? ` of kind "${s.expect_kind}"` : ''}`);
  }
  const outside = s.expect_every_meta_contains
    && hits.filter((h) => !h.meta.includes(s.expect_every_meta_contains));
  if (outside?.length) {
    fail(where, `${outside.length} results are not "${s.expect_every_meta_contains}": ${outside[0].title} (${outside[0].meta})`);
  }
  if (s.expect_mark && !hits.some((h) => h.marks.some((m) => m.toLowerCase() === s.expect_mark.toLowerCase()))) {
    fail(where, `no title or snippet marks "${s.expect_mark}" with <mark>`);
  }
  const href = hits[i]?.href;
  if (!href) { if (i >= 0) fail(where, `result "${hits[i].title}" has no link`); return; }
  here = `${where} → result ${show(site, href)}`;
  try {
    await Promise.all([
      page.waitForURL((u) => u.href.split('#')[0] === href.split('#')[0], { waitUntil: 'load' }),
      page.locator('#sok-treff > li').nth(i).locator('a.sok-tittel').click(),
    ]);
  } catch (e) {
    fail(here, `following the result failed: ${firstLine(e.message)}`);
    return;
  }
  const id = new URL(href).hash.slice(1);
  if (id && !await hasAnchor(decodeURIComponent(id))) fail(here, `the result page has no element with id "${id}"`);
}

async function keyboard(site, k) {
  stats.searches++;
  const where = `[${site.name}] keyboard search "${k.q}"`;
  if (!await open(site, site.start, where)) return;
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.name === 'q');
  }
  if (!reached) { fail(where, 'Tab never reached the search box'); return; }
  await page.keyboard.type(k.q);
  try {
    await Promise.all([page.waitForURL(/sok\//, { waitUntil: 'load' }), page.keyboard.press('Enter')]);
  } catch (e) {
    fail(where, `Enter in the search box did not open the search page: ${firstLine(e.message)}`);
    return;
  }
  await results(site, k, where);
}

async function withoutJavaScript(site, text) {
  const where = `[${site.name}] search page without JavaScript`;
  const context = await browser.newContext({ javaScriptEnabled: false });
  const p = await context.newPage();
  try {
    await p.goto(site.searchUrl('baerum'), { waitUntil: 'load' });
    const shown = await p.evaluate(() => document.body.innerText);
    if (!shown.includes(text)) fail(where, `the page does not say "${text}"`);
  } catch (e) {
    fail(where, `could not open the search page: ${firstLine(e.message)}`);
  } finally {
    await context.close();
  }
}

async function redirect(site, r) {
  stats.redirects++;
  const where = `[${site.name}] redirect ${r.from}`;
  if (!await open(site, site.redirectUrl(r.from), where, 'commit')) return;
  try {
    await page.waitForURL((u) => u.href.includes(r.to_contains), { timeout: 5000 });
    await page.waitForLoadState('load');
  } catch {
    fail(where, `ended at ${page.url()}, which does not contain "${r.to_contains}"`);
    return;
  }
  // The anchor the old link had, kept (and the page has it).
  if (r.hash !== undefined) {
    const hash = new URL(page.url()).hash;
    if (hash !== r.hash) fail(where, `ended at ${page.url()}, without the anchor ${r.hash}`);
    else if (!(await page.$(`[id="${r.hash.slice(1)}"]`))) fail(where, `${page.url()} has no element ${r.hash}`);
  }
}

// Without JavaScript the refresh in <noscript> still goes to the page (the
// anchor is then lost: only the script can keep it).
async function redirectWithoutJavaScript(site, r) {
  const where = `[${site.name}] redirect without JavaScript ${r.from}`;
  const context = await browser.newContext({ javaScriptEnabled: false });
  const p = await context.newPage();
  try {
    await p.goto(site.redirectUrl(r.from), { waitUntil: 'commit' });
    await p.waitForURL((u) => u.href.includes(r.to_contains), { timeout: 5000 });
  } catch {
    fail(where, `ended at ${p.url()}, which does not contain "${r.to_contains}"`);
  } finally {
    await context.close();
  }
}

// ---- main -----------------------------------------------------------------

const sites = [];
let server = null;
try {
  if (spec.offline) sites.push(offlineSite(path.resolve(spec.offline)));
  if (spec.web) {
    const prefix = `/${spec.web_prefix ?? '/'}/`.replace(/\/+/g, '/');
    server = await serve(path.resolve(spec.web), prefix);
    sites.push(webSite(path.resolve(spec.web), prefix, `http://127.0.0.1:${server.address().port}`));
  }
  if (!sites.length) fail(specFile, 'the spec names neither "offline" nor "web"');
  const offline = sites.find((s) => s.name === 'offline');
  const web = sites.find((s) => s.name === 'web');
  if (spec.crawl) offline ? await crawl(offline) : fail(specFile, '"crawl" needs "offline"');
  if (spec.crawl_web) web ? await crawl(web) : fail(specFile, '"crawl_web" needs "web"');
  for (const site of sites) await cspEnforced(site);
  for (const site of sites) {
    for (const s of spec.searches ?? []) await search(site, s);
    for (const k of spec.keyboard ?? []) await keyboard(site, k);
    if (spec.no_js) await withoutJavaScript(site, spec.no_js);
    for (const r of spec.redirects ?? []) await redirect(site, r);
    for (const r of spec.redirects ?? []) await redirectWithoutJavaScript(site, r);
  }
} catch (e) {
  fail(here || specFile, `the checker itself failed: ${firstLine(e.message ?? e)}`);
  console.error(e.stack ?? e);
} finally {
  await browser.close();
  server?.close();
}

// The same failure on many pages of one site (a broken menu link) is printed once.
const groups = new Map();
for (const { where, what } of failures) {
  const key = `${where.split(' ')[0]} ${what}`;
  if (!groups.has(key)) groups.set(key, { where, what, places: new Set() });
  groups.get(key).places.add(where);
}
for (const { where, what, places } of groups.values()) {
  const more = places.size - 1;
  console.log(`FAIL ${where}: ${what}${more ? ` (also on ${more} more page${more > 1 ? 's' : ''})` : ''}`);
}
const n = (count, one, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
console.log(`browser check: ${n(stats.pages, 'page')} visited, ${n(stats.links, 'link')} checked (${stats.external} `
  + `external not followed), ${n(stats.anchors, 'anchor')} checked, ${n(stats.searches, 'search', 'searches')} run, `
  + `${n(stats.redirects, 'redirect')} followed, the policy enforced on ${n(stats.csp, 'site')}; ${failures.length ? `${n(failures.length, 'failure')} `
  + `(${groups.size} distinct)` : 'all passed'}`);
process.exit(failures.length ? 1 : 0);
