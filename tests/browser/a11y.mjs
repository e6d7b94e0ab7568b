// Accessibility and layout checks of built saksgang sites (issue 11's "Done when"),
// in headless Chromium (playwright-core), with axe-core and the Nu HTML Checker.
//
//   node tests/browser/a11y.mjs spec.json      (once: npm ci in tests/browser)
//
// The spec:
//   { "sites": [ { "name": "seed",           shown in every message
//                  "web": "DIR",             web edition, served on 127.0.0.1 under prefix
//                  "prefix": "/arkiv/",
//                  "sample": 20,             optional: check this many pages in the browser
//                                            (the front page, the lists and search, the rest
//                                            evenly spaced in path order); without it every page
//                  "keyboard": ["", "moter/…/"],   pages for the keyboard walk (light, dark)
//                  "print": ["moter/…/"],          pages checked in print emulation
//                  "screenshots": {"dir": "DIR", "pages": {"forside": "", …}},
//                  "vnu_lines": 40 } ],      Nu checker errors printed one by one (the rest
//                                            counted by message; also A11Y_VNU_LINES)
//     "only": ["axe", "vnu", …] }            optional: run only these checks
//                                            (also A11Y_ONLY=axe,reflow in the environment)
//
// The checks (names as in "only"):
//   vnu       the Nu HTML Checker (java -jar vnu.jar --errors-only) over every HTML file
//             of the site, one JVM per site: zero errors
//   axe       axe-core, tags wcag2a wcag2aa wcag21a wcag21aa, on every (sampled) page in
//             light at 1280 px, dark at 1280 px and light at 320 px: zero violations
//   reflow    at 320 px wide, documentElement.scrollWidth <= clientWidth on every page
//             (WCAG 1.4.10); a failure names the elements that stick out; and a box
//             that scrolls sideways on its own (a wide table) has tabindex="0" and
//             aria-label or aria-labelledby (reached and named by keyboard, 2.1.1, 4.1.2)
//   saksgang  on meeting pages at 1280 px: the "Saksgang" boxes of an item
//             ([data-saksgang] or .saksgang) overlap neither each other nor a paragraph
//             or .vedtak of the item, every paragraph of an article.sak outside the boxes
//             is >= 250 px wide, each box >= 192 px (12rem), and the boxes are drawn
//             (top, then left) in DOM order; in print emulation again no overlap and order
//   keyboard  the first Tab stop is the skip link a.hopp, Enter moves focus to
//             main#innhold without changing main's background; then Tab (at most 200
//             stops): each stop shows a focus indicator (outline >= 2 px, or a box-shadow)
//             with contrast >= 3:1 against the background behind the element and against
//             the element's own background (WCAG 2.4.7, 1.4.11); no trap
//   print     print emulation: header nav, breadcrumbs (.smuler), the search form
//             (form[role=search]) and footer links are not shown; main is
//   shots     screenshots of the top of each page (at most 2000 px, 2400 at 320 px wide), 1280 and 320 px, light and dark, as
//             <dir>/<name>-<width>-<lys|mork>.png (deviceScaleFactor 1, no animations, no caret)
//
// The page's Content-Security-Policy stays in force (it is checked by check.mjs): axe is
// run with page.evaluate, which the policy does not govern, not added as a <script>.
// Each failure is printed on its own line (the same axe rule, or the same element sticking
// out, on many pages is one line with a count); exit 0 when none, 1 otherwise.

import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

import { ARGS as BASE_ARGS, CHROMIUM, loadChromium, serve } from './common.mjs';

const require = createRequire(import.meta.url);
const chromium = await loadChromium();
let axeSource, vnuJar;
try {
  axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  vnuJar = String(require('vnu-jar'));
} catch {
  console.error('axe-core or vnu-jar is not installed: run `npm ci` in tests/browser');
  process.exit(1);
}

const specFile = process.argv[2];
let spec;
try {
  spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
} catch (e) {
  console.error(specFile ? `cannot read the spec ${specFile}: ${e.message}` : 'usage: node a11y.mjs spec.json');
  process.exit(1);
}
const only = new Set(process.env.A11Y_ONLY ? process.env.A11Y_ONLY.split(',').map((s) => s.trim()) : spec.only ?? []);
const on = (check) => only.size === 0 || only.has(check);

const ARGS = [...BASE_ARGS, '--font-render-hinting=none', '--hide-scrollbars'];
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const firstLine = (s) => String(s).split('\n')[0];
const started = Date.now();

// ---- failures, grouped ------------------------------------------------------

const lines = [];                 // single failures, printed as they are
const groups = new Map();         // key → {head, pages[], tail}
const fail = (site, where, what) => lines.push(`FAIL [${site}] ${where}: ${what}`);
function failGrouped(site, key, head, page, tail) {
  const k = `${site}\u0000${key}`;
  if (!groups.has(k)) groups.set(k, { site, head, pages: [], tail });
  const g = groups.get(k);
  if (!g.pages.includes(page)) g.pages.push(page);
}
const counts = {};                // site → check → {checked, failed}
function count(site, check, failed) {
  counts[site] ??= {};
  counts[site][check] ??= { checked: 0, failed: 0 };
  counts[site][check].checked++;
  if (failed) counts[site][check].failed++;
}

// ---- the site -----------------------------------------------------------------

/** Every HTML page of the site, as paths like "moter/x/" (index.html dropped), sorted. */
function pagesOf(root) {
  const out = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html')) {
        const text = fs.readFileSync(p, 'utf8');
        if (/<meta[^>]+http-equiv=["']?refresh/i.test(text)) continue;   // an old address: a redirect
        out.push(path.relative(root, p).split(path.sep).join('/').replace(/(^|\/)index\.html$/, '$1'));
      }
    }
  };
  walk(root);
  return out.sort();
}

/** A deterministic sample of n pages: the top pages (front, lists, search), the rest evenly spaced. */
function sampleOf(pages, n) {
  if (!n || pages.length <= n) return pages;
  const always = pages.filter((p) => p.split('/').filter(Boolean).length <= 1);
  const rest = pages.filter((p) => !always.includes(p));
  const want = Math.max(0, n - always.length);
  const picked = [];
  for (let i = 0; i < want && rest.length; i++) picked.push(rest[Math.floor(((i + 0.5) * rest.length) / want)]);
  return [...new Set([...always, ...picked])].sort();
}

// ---- colours --------------------------------------------------------------------

function parseColor(s) {
  const m = /rgba?\(([^)]+)\)/.exec(s ?? '');
  if (!m) return null;
  const v = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
  return { r: v[0], g: v[1], b: v[2], a: v.length > 3 ? v[3] : 1 };
}
const over = (top, bottom) => ({
  r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a),
  b: top.b * top.a + bottom.b * (1 - top.a), a: 1,
});
function luminance({ r, g, b }) {
  const c = [r, g, b].map((x) => { const s = x / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
function contrast(a, b) {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (l1 + 0.05) / (l2 + 0.05);
}
const showColor = (str) => { const c = parseColor(str); return !c || c.a === 0 ? 'transparent' : hex(c); };
const hex = ({ r, g, b }) => `#${[r, g, b].map((x) => Math.round(x).toString(16).padStart(2, '0')).join('')}`;

// ---- in the page -------------------------------------------------------------------

/** Describes an element briefly: tag.class#id "text…". */
const DESCRIBE = `(e) => {
  if (!e || e === document.body) return 'body';
  const cls = typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '';
  const id = e.id ? '#' + e.id : '';
  const text = (e.innerText ?? e.textContent ?? '').trim().replace(/\\s+/g, ' ').slice(0, 30);
  return e.tagName.toLowerCase() + id + cls + (text ? ' "' + text + '"' : '');
}`;

/**
 * Installs the helpers (and axe) in the page just opened. A string given to evaluate()
 * runs as DevTools code, which the page's Content-Security-Policy does not govern.
 */
async function prepare(page, axe = false) {
  await page.evaluate(`window.__a11yDescribe = ${DESCRIBE};`);
  if (axe && !await page.evaluate(() => typeof window.axe !== 'undefined')) await page.evaluate(axeSource);
}

async function runAxe(page) {
  await prepare(page, true);
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, help: v.help, impact: v.impact, n: v.nodes.length,
      target: v.nodes[0]?.target?.join(' ') ?? '', summary: firstLineOf(v.nodes[0]?.failureSummary) }));
    function firstLineOf(s) { return String(s ?? '').split('\n').slice(1, 2).join('').trim().slice(0, 120); }
  }, TAGS);
}

async function reflow(page) {
  return page.evaluate(() => {
    const d = window.__a11yDescribe;
    const de = document.documentElement;
    const cw = de.clientWidth;
    // A box that scrolls sideways on its own (a wide table) must be reachable and named:
    // tabindex="0" and a label (aria-label or aria-labelledby), as the issue asks.
    const scrollers = [];
    for (const e of document.body.querySelectorAll('*')) {
      const ox = getComputedStyle(e).overflowX;
      if ((ox === 'auto' || ox === 'scroll') && e.scrollWidth > e.clientWidth + 1) {
        const named = e.hasAttribute('aria-label') || e.hasAttribute('aria-labelledby');
        if (e.getAttribute('tabindex') !== '0' || !named) {
          scrollers.push(`${d(e)} (${e.scrollWidth} px in ${e.clientWidth} px) has ${e.getAttribute('tabindex') === '0' ? '' : 'no tabindex="0"'}`
            + `${e.getAttribute('tabindex') !== '0' && !named ? ' and ' : ''}${named ? '' : 'no label'}`);
        }
      }
    }
    if (de.scrollWidth <= cw) return { scrollers };
    const out = [];
    for (const e of document.body.querySelectorAll('*')) {
      const r = e.getBoundingClientRect();
      if (!r.width && !r.height) continue;
      const cs = getComputedStyle(e);
      const parent = e.parentElement?.getBoundingClientRect();
      // Sticks out of the page while its parent does not: the box itself is too wide.
      const box = r.right > cw + 0.5 && (!parent || parent.right <= cw + 0.5);
      // Its content overflows it visibly (a long word), past the page's edge.
      const spill = cs.overflowX === 'visible' && e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0
        && r.left + e.scrollWidth > cw + 0.5 && [...e.children].every((c) => c.getBoundingClientRect().right <= cw + 0.5);
      if (box || spill) out.push({ what: d(e), width: Math.round(Math.max(r.width, spill ? e.scrollWidth : 0)) });
    }
    out.sort((a, b) => b.width - a.width);
    return { scrollWidth: de.scrollWidth, clientWidth: cw, culprits: out.slice(0, 3), scrollers, wide: true };
  });
}

async function saksgangLayout(page, { widths }) {
  return page.evaluate(({ widths }) => {
    const d = window.__a11yDescribe;
    const problems = [];
    const rect = (e) => e.getBoundingClientRect();
    const shown = (e) => { const r = rect(e); return r.width > 0 && r.height > 0; };
    // What a reader sees of a text block: its line boxes (a float beside a paragraph
    // shortens its lines; the paragraph's own box still runs under the float), and its
    // whole box when it has a background of its own (a decision's coloured panel).
    const range = document.createRange();
    const lineRects = (e) => { range.selectNodeContents(e); return [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0); };
    const painted = (e) => { const c = getComputedStyle(e).backgroundColor; return !/^(transparent|rgba\(\d+, \d+, \d+, 0\))$/.test(c); };
    const seenRects = (e) => (painted(e) ? [rect(e), ...lineRects(e)] : lineRects(e));
    const overlap = (a, b) => {
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      return x > 1 && y > 1;
    };
    let boxes = 0;
    for (const art of document.querySelectorAll('article.sak')) {
      const name = art.querySelector('h1,h2,h3,h4')?.textContent.trim().replace(/\s+/g, ' ').slice(0, 40) ?? art.id;
      const all = [...art.querySelectorAll('[data-saksgang], .saksgang')];
      const own = all.filter((b) => b.closest('article.sak') === art && !all.some((o) => o !== b && o.contains(b)) && shown(b));
      boxes += own.length;
      const inBox = (e) => own.some((b) => b.contains(e));
      const text = [...art.querySelectorAll('p, .vedtak')].filter((e) => e.closest('article.sak') === art && !inBox(e) && shown(e));
      for (let i = 0; i < own.length; i++) {
        const a = rect(own[i]);
        for (let j = i + 1; j < own.length; j++) {
          if (overlap(a, rect(own[j]))) problems.push(`${name}: Saksgang box ${i + 1} overlaps box ${j + 1}`);
        }
        const under = text.filter((t) => !t.contains(own[i]) && seenRects(t).some((r) => overlap(a, r)));
        if (under.length) problems.push(`${name}: Saksgang box ${i + 1} lies over ${under.length} text block${under.length > 1 ? 's' : ''}, first ${d(under[0])}`);
        if (widths && a.width < 192) problems.push(`${name}: Saksgang box ${i + 1} is ${Math.round(a.width)} px wide (< 192 px, 12rem)`);
      }
      if (widths) {
        const narrow = [];
        for (const p of text.filter((e) => e.tagName === 'P')) {
          // The widest line of the paragraph; one line alone may be short by nature.
          const lines = new Map();
          for (const r of lineRects(p)) {
            const k = Math.round(r.top);
            const l = lines.get(k) ?? { left: r.left, right: r.right };
            lines.set(k, { left: Math.min(l.left, r.left), right: Math.max(l.right, r.right) });
          }
          const widest = Math.max(0, ...[...lines.values()].map((l) => l.right - l.left));
          const w = lines.size > 1 ? Math.min(rect(p).width, widest) : rect(p).width;
          if (w < 250) narrow.push({ p, w });
        }
        if (narrow.length) {
          narrow.sort((x, y) => x.w - y.w);
          problems.push(`${name}: the text is squeezed: ${narrow.length} paragraph${narrow.length > 1 ? 's' : ''} narrower than 250 px, `
            + `${d(narrow[0].p)} has lines ${Math.round(narrow[0].w)} px wide`);
        }
      }
      const drawn = own.map((b, i) => ({ i, r: rect(b) }))
        .sort((a, b) => (Math.abs(a.r.top - b.r.top) > 1 ? a.r.top - b.r.top : a.r.left - b.r.left)).map((x) => x.i + 1);
      if (drawn.some((v, i) => v !== i + 1)) {
        problems.push(`${name}: Saksgang boxes are drawn in the order ${drawn.join(', ')}, not in reading (DOM) order`);
      }
    }
    return { problems, boxes };
  }, { widths });
}

/** The focused element's indicator and the colours around it. */
async function focusState(page) {
  return page.evaluate(() => {
    const d = window.__a11yDescribe;
    const e = document.activeElement;
    if (!e || e === document.body || e === document.documentElement) return { body: true };
    const cs = getComputedStyle(e);
    const bgs = [];
    for (let a = e; a; a = a.parentElement) bgs.push(getComputedStyle(a).backgroundColor);
    bgs.push('rgb(255, 255, 255)');   // the canvas
    return {
      what: d(e), id: e.id, tag: e.tagName, cls: typeof e.className === 'string' ? e.className : '',
      outlineStyle: cs.outlineStyle, outlineWidth: parseFloat(cs.outlineWidth) || 0, outlineColor: cs.outlineColor,
      outlineOffset: parseFloat(cs.outlineOffset) || 0,
      boxShadow: cs.boxShadow, bgs, path: (() => { const p = []; for (let a = e; a && a !== document.body; a = a.parentElement) p.unshift([...a.parentElement.children].indexOf(a)); return p.join('.'); })(),
    };
  });
}

/** The inner ring's colour when the indicator is an outline whose offset a
 *  non-inset box-shadow of at least that spread fills, else null. */
function doubleRingInner(s) {
  if (!(s.outlineStyle !== 'none' && s.outlineWidth >= 2) || !s.boxShadow || s.boxShadow === 'none') return null;
  if (/inset/.test(s.boxShadow)) return null;
  const m = s.boxShadow.match(/^(rgba?\([^)]*\))\s+(-?[\d.]+)px\s+(-?[\d.]+)px\s+([\d.]+)px\s+([\d.]+)px$/);
  if (!m || +m[2] !== 0 || +m[3] !== 0) return null;
  const spread = +m[5];
  if (spread < 2 || spread < s.outlineOffset) return null;
  return parseColor(m[1]);
}

/** Background as seen: the colours from the element up, composed over each other. */
function seen(bgs) {
  const cols = bgs.map(parseColor).filter(Boolean);
  let i = cols.findIndex((c) => c.a >= 1);
  if (i < 0) i = cols.length - 1;
  let c = { ...cols[i], a: 1 };
  for (let j = i - 1; j >= 0; j--) if (cols[j].a > 0) c = over(cols[j], c);
  return c;
}

// ---- the checks ------------------------------------------------------------------

async function keyboardWalk(ctx, site, base, rel, scheme) {
  const where = `${rel || './'} (keyboard, ${scheme})`;
  const page = await ctx.newPage();
  let failed = false;
  const f = (what) => { failed = true; fail(site.name, where, what); };
  try {
    await page.emulateMedia({ colorScheme: scheme === 'mørk' ? 'dark' : 'light' });
    await page.goto(base + rel, { waitUntil: 'load' });
    await prepare(page);
    const onLoad = await focusState(page);
    await page.keyboard.press('Tab');
    const first = await focusState(page);
    if (first.body || !/\bhopp\b/.test(first.cls) || first.tag !== 'A') {
      f(`the first Tab stop is ${first.what ?? 'nothing'}, not the skip link a.hopp`
        + `${onLoad.body ? '' : ` (the page put focus on ${onLoad.what} when it loaded)`}`);
    } else {
      const before = await page.evaluate(() => { const m = document.querySelector('main#innhold'); return m && getComputedStyle(m).backgroundColor; });
      if (!before) f('there is no main#innhold');
      await page.keyboard.press('Enter');
      await page.waitForTimeout(50);
      const after = await page.evaluate(() => {
        const m = document.querySelector('main#innhold');
        const cs = m && getComputedStyle(m);
        return { focused: document.activeElement === m, bg: cs?.backgroundColor,
          outline: cs && `${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}` };
      });
      if (!after.focused) f('Enter on the skip link does not move focus to main#innhold');
      if (before && after.bg !== before) {
        failed = true;
        failGrouped(site.name, 'main background', 'main#innhold changes its background when the skip link moves focus to it '
          + `(${showColor(before)} → ${showColor(after.bg)}: a coloured block)`, `${rel || './'} ${scheme}`, '');
      }
    }
    // Check the skip link's own ring, then walk on.
    const stops = [first];
    const seenPaths = new Set(first.path ? [first.path] : []);
    let cycled = false;
    for (let i = 0; i < 200; i++) {
      await page.keyboard.press('Tab');
      const s = await focusState(page);
      if (s.body) { cycled = true; break; }
      if (seenPaths.has(s.path)) {
        if (s.path === first.path) { cycled = true; break; }
        f(`focus trap: after ${i + 1} stops focus came back to ${s.what} without reaching the end of the page`);
        break;
      }
      seenPaths.add(s.path);
      stops.push(s);
    }
    for (const s of stops) {
      if (s.body) continue;
      const ring = s.outlineStyle !== 'none' && s.outlineWidth >= 2 ? parseColor(s.outlineColor)
        : s.boxShadow && s.boxShadow !== 'none' ? parseColor(s.boxShadow) : null;
      const page = `${rel || './'} ${scheme}`;
      if (!ring) {
        failed = true;
        failGrouped(site.name, `no ring ${s.what}`, `no visible focus indicator (outline ${s.outlineStyle} ${s.outlineWidth}px, `
          + `box-shadow ${s.boxShadow}) on ${s.what}`, page, '');
        continue;
      }
      const behind = seen(s.bgs.slice(1));
      const ownBg = seen(s.bgs);
      const ringC = ring.a < 1 ? over(ring, behind) : ring;
      const c1 = contrast(ringC, behind);
      let c2 = contrast(ringC, ownBg);
      // A double ring (Designsystemet's): an outline set off from the element by
      // its offset, and a box-shadow that fills that gap. Then the element meets
      // the inner ring, or, where that ring has its own colour, the outer one.
      const inner = doubleRingInner(s);
      if (inner) {
        const innerC = inner.a < 1 ? over(inner, ownBg) : inner;
        // Where the inner ring has the element's own colour (a link on the
        // page), it reads as a gap and the outer ring is what meets the element.
        c2 = Math.max(contrast(innerC, ownBg), c2);
      }
      if (Math.min(c1, c2) < 3) {
        failed = true;
        failGrouped(site.name, `ring ${hex(ringC)} ${hex(behind)} ${hex(ownBg)}`,
          `focus ring ${hex(ringC)} below 3:1 (WCAG 1.4.11): ${c1.toFixed(2)}:1 against ${hex(behind)} behind the element, `
          + `${c2.toFixed(2)}:1 against its own ${hex(ownBg)}`, page, `e.g. ${s.what}`);
      }
    }
    if (!cycled && stops.length >= 200) console.log(`[${site.name}] ${where}: stopped after 200 Tab stops (no trap seen)`);
  } catch (e) {
    f(`the keyboard check failed: ${firstLine(e.message)}`);
  } finally {
    await page.close();
  }
  count(site.name, 'keyboard', failed);
}

async function printCheck(ctx, site, base, rel) {
  const where = `${rel || './'} (print)`;
  const page = await ctx.newPage();
  let failed = false;
  const f = (what) => { failed = true; fail(site.name, where, what); };
  try {
    await page.goto(base + rel, { waitUntil: 'load' });
    await prepare(page);
    await page.emulateMedia({ media: 'print' });
    const r = await page.evaluate(() => {
      const d = window.__a11yDescribe;
      const visible = (e) => {
        const cs = getComputedStyle(e);
        if (cs.visibility === 'hidden' || cs.display === 'none') return false;
        const b = e.getBoundingClientRect();
        return b.width > 0 && b.height > 0;
      };
      const hide = {
        'the main navigation': 'header nav, nav[aria-label="Hovedmeny"]',
        'the breadcrumbs': '.smuler, nav[aria-label="Brødsmuler"]',
        'the search form': 'form[role=search]',
        // The contact line's address is content, not navigation: it prints as text.
        'a footer link': 'footer a:not([href^="mailto:"]):not([href^="tel:"])',
      };
      const shown = [];
      for (const [what, sel] of Object.entries(hide)) {
        const e = [...document.querySelectorAll(sel)].find(visible);
        if (e) shown.push(`printed: ${what} (${d(e)})`);
      }
      const main = document.querySelector('main');
      return { shown, main: !!main && visible(main) && !!main.querySelector('h1') && visible(main.querySelector('h1')) };
    });
    for (const s of r.shown) f(s);
    if (!r.main) f('main (with its h1) is not printed');
    if (/^moter\//.test(rel) && on('saksgang')) {
      const s = await saksgangLayout(page, { widths: false });
      for (const p of s.problems) f(`on paper: ${p}`);
    }
  } catch (e) {
    f(`the print check failed: ${firstLine(e.message)}`);
  } finally {
    await page.close();
  }
  count(site.name, 'print', failed);
}

async function screenshots(browser, site, base, shots) {
  fs.mkdirSync(shots.dir, { recursive: true });
  for (const scheme of ['light', 'dark']) {
    for (const width of [1280, 320]) {
      const ctx = await browser.newContext({ viewport: { width, height: 800 }, deviceScaleFactor: 1,
        colorScheme: scheme, reducedMotion: 'reduce', locale: 'nb-NO', timezoneId: 'Europe/Oslo' });
      const page = await ctx.newPage();
      for (const [name, rel] of Object.entries(shots.pages)) {
        const file = path.join(shots.dir, `${name}-${width}-${scheme === 'dark' ? 'mork' : 'lys'}.png`);
        try {
          await page.goto(base + rel, { waitUntil: 'load' });
          await page.evaluate(() => document.fonts?.ready);
          // The top of the page, as a reader first sees it and scrolls a little:
          // at most 2000 px (1280 wide) or 2400 px (320 wide), so the README's
          // pictures stay small.
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          const clip = { x: 0, y: 0, width, height: Math.min(height, width === 320 ? 2400 : 2000) };
          await page.screenshot({ path: file, fullPage: true, clip, animations: 'disabled', caret: 'hide' });
          count(site.name, 'shots', false);
        } catch (e) {
          fail(site.name, rel || './', `could not take the screenshot ${file}: ${firstLine(e.message)}`);
          count(site.name, 'shots', true);
        }
      }
      await ctx.close();
    }
  }
}

function vnu(site, root) {
  return new Promise((done) => {
    const child = spawn('java', ['-jar', vnuJar, '--errors-only', '--skip-non-html', '--format', 'json', root],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b) => { out += b; });
    child.stderr.on('data', (b) => { out += b; });
    child.on('error', (e) => { fail(site.name, 'vnu', `could not run java: ${e.message}`); done(); });
    child.on('close', () => {
      let messages;
      try {
        messages = JSON.parse(out.slice(out.indexOf('{'))).messages;
      } catch {
        fail(site.name, 'vnu', `the Nu HTML Checker gave no JSON: ${firstLine(out)}`);
        done();
        return;
      }
      const errors = messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
      const files = new Set(errors.map((m) => m.url));
      counts[site.name] ??= {};
      counts[site.name].vnu = { checked: pagesOf(root).length, failed: files.size, errors: errors.length };
      const cap = Number(process.env.A11Y_VNU_LINES ?? site.vnu_lines ?? 40);
      errors.forEach((m, i) => {
        const file = path.relative(root, decodeURIComponent(String(m.url).replace(/^file:/, '')));
        if (i < cap) fail(site.name, `${file}:${m.lastLine ?? '?'}`, `vnu: ${m.message}`);
      });
      if (errors.length > cap) {
        const by = new Map();
        for (const m of errors.slice(cap)) by.set(m.message, (by.get(m.message) ?? 0) + 1);
        for (const [msg, n] of by) fail(site.name, 'vnu', `… ${n} more errors: ${msg}`);
      }
      done();
    });
  });
}

// ---- main ---------------------------------------------------------------------------

let browser;
try {
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
} catch (e) {
  console.error(`could not start Chromium at ${CHROMIUM} (set CHROMIUM to another path): ${firstLine(e.message)}`);
  process.exit(1);
}

const sample = process.env.A11Y_SAMPLE ? Number(process.env.A11Y_SAMPLE) : null;
const servers = [];
try {
  for (const site of spec.sites) {
    const t0 = Date.now();
    const root = path.resolve(site.web);
    const prefix = `/${site.prefix ?? '/'}/`.replace(/\/+/g, '/');
    const server = await serve(root, prefix);
    servers.push(server);
    const base = `http://127.0.0.1:${server.address().port}${prefix}`;
    const validating = on('vnu') ? vnu(site, root) : Promise.resolve();
    const all = pagesOf(root);
    const n = sample ?? site.sample;
    const pages = sampleOf(all, n);

    if (on('axe') || on('reflow') || on('saksgang')) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, reducedMotion: 'reduce' });
      // axe in every page from the start: an init script, like evaluate(), is DevTools code
      // outside the page's policy, and costs less than sending axe after each load.
      if (on('axe')) await ctx.addInitScript({ content: axeSource });
      const page = await ctx.newPage();
      page.setDefaultTimeout(20000);
      for (const rel of pages) {
        const where = rel || './';
        try {
          await page.setViewportSize({ width: 1280, height: 800 });
          await page.emulateMedia({ colorScheme: 'light', media: 'screen' });
          await page.goto(base + rel, { waitUntil: 'load' });
          await prepare(page);
          if (on('saksgang') && /^moter\/[^/]+\/$/.test(rel)) {
            const s = await saksgangLayout(page, { widths: true });
            if (s.boxes || s.problems.length) {
              for (const p of s.problems) fail(site.name, where, p);
              count(site.name, 'saksgang', s.problems.length > 0);
            }
          }
          const modes = on('axe') ? [['light', 1280], ['dark', 1280], ['light', 320]] : [['light', 320]];
          for (const [scheme, width] of modes) {
            await page.emulateMedia({ colorScheme: scheme });
            await page.setViewportSize({ width, height: 800 });
            if (on('axe')) {
              const v = await runAxe(page);
              count(site.name, `axe ${scheme} ${width}`, v.length > 0);
              for (const x of v) {
                failGrouped(site.name, `axe ${x.id} ${scheme} ${width}`,
                  `axe ${x.id} (${x.impact}) in ${scheme} at ${width} px: ${x.help}`, where,
                  `e.g. ${x.target}${x.summary ? ` — ${x.summary}` : ''}`);
              }
            }
            if (width === 320 && on('reflow')) {
              const r = await reflow(page);
              count(site.name, 'reflow', !!r.wide);
              count(site.name, 'scroll regions', r.scrollers.length > 0);
              if (r.scrollers.length) {
                failGrouped(site.name, 'scroller', 'a box that scrolls sideways at 320 px cannot be reached by keyboard or has no name '
                  + '(needs tabindex="0" and aria-label/aria-labelledby)', where, `e.g. ${r.scrollers[0]}`);
              }
              if (r.wide) {
                const top = r.culprits[0];
                failGrouped(site.name, `reflow ${top ? top.what.replace(/ ".*/, '') : '?'}`,
                  `scrolls sideways at 320 px (WCAG 1.4.10) because of ${top ? top.what.replace(/ ".*/, '') : 'an unknown element'}`,
                  `${where} (${r.scrollWidth} px: ${r.culprits.map((c) => `${c.what} ${c.width} px`).join('; ')})`, '');
              }
            }
          }
        } catch (e) {
          fail(site.name, where, `could not check the page: ${firstLine(e.message)}`);
        }
      }
      await ctx.close();
    }
    if (on('keyboard')) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, reducedMotion: 'reduce' });
      for (const rel of site.keyboard ?? []) {
        for (const scheme of ['lys', 'mørk']) await keyboardWalk(ctx, site, base, rel, scheme);
      }
      await ctx.close();
    }
    if (on('print')) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
      for (const rel of site.print ?? []) await printCheck(ctx, site, base, rel);
      await ctx.close();
    }
    if (on('shots') && site.screenshots) await screenshots(browser, site, base, site.screenshots);
    await validating;
    console.log(`[${site.name}] ${pages.length} of ${all.length} pages in the browser`
      + `${pages.length < all.length ? ` (a sample: the top pages, the rest evenly spaced)` : ''}, `
      + `vnu on all; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
} catch (e) {
  lines.push(`FAIL the checker itself failed: ${firstLine(e.message ?? e)}`);
  console.error(e.stack ?? e);
} finally {
  await browser.close();
  for (const s of servers) s.close();
}

for (const l of lines) console.log(l);
for (const g of groups.values()) {
  const more = g.pages.length > 3 ? `, … ${g.pages.length - 3} more` : '';
  console.log(`FAIL [${g.site}] ${g.head} — on ${g.pages.length} page${g.pages.length > 1 ? 's' : ''}: `
    + `${g.pages.slice(0, 3).join(', ')}${more}${g.tail ? `; ${g.tail}` : ''}`);
}
console.log('summary (checked / failed):');
for (const [site, c] of Object.entries(counts)) {
  console.log(`  [${site}] ` + Object.entries(c).map(([k, v]) => `${k} ${v.checked}/${v.failed}${v.errors != null ? ` (${v.errors} errors)` : ''}`).join(', '));
}
const total = lines.length + groups.size;
console.log(`a11y check: ${total ? `${total} distinct failures` : 'all passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(total ? 1 : 0);
