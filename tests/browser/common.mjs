// What the browser checks share: the Chromium to drive and its flags, and the small
// HTTP server a built web edition is served from (127.0.0.1, a free port, under a
// path prefix, as on vestregionen.no).

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/** playwright-core's chromium, or exit with what to do. */
export async function loadChromium() {
  try {
    return (await import('playwright-core')).chromium;
  } catch {
    console.error('playwright-core is not installed: run `npm ci` in tests/browser');
    process.exit(1);
  }
}

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
/** Headless, and nothing that reaches for the network on its own (this machine refuses it). */
export const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const TYPES = { '.html': 'text/html', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json',
  '.xml': 'application/xml', '.ics': 'text/calendar', '.txt': 'text/plain', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.pdf': 'application/pdf' };

/** The file a server path stands for under prefix, or null when outside the site. */
export function serverFile(root, prefix, pathname) {
  if (!pathname.startsWith(prefix)) return null;
  let rel;
  try { rel = decodeURIComponent(pathname.slice(prefix.length)); } catch { return null; }
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const file = path.join(root, rel);
  return file.startsWith(root + path.sep) ? file : null;
}

/** Serves the folder root under prefix; resolves to the listening server. */
export function serve(root, prefix) {
  const server = http.createServer((req, res) => {
    const file = serverFile(root, prefix, new URL(req.url, 'http://x').pathname);
    let body = null;
    try { if (file) body = fs.readFileSync(file); } catch { /* missing or a folder */ }
    if (!body) { res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found'); return; }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { 'content-type': type.startsWith('text/') || type.endsWith('xml') ? `${type}; charset=utf-8` : type });
    res.end(body);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}
