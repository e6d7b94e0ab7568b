// The search terms of texts as the browser cuts them: loads the vendored
// lunr.no stemmer and the theme's sok.js into a bare context (no page, no
// DOM) and prints, as JSON, the terms of each text of the JSON array in the
// file named on the command line. tests/it/terms.rs compares them with
// saksgang's own.
//
//   node tests/browser/terms.mjs texts.json

import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, '..', '..', 'themes', 'default', 'static', 'sok');
const context = vm.createContext({});
context.window = context;
context.self = context;
for (const file of ['lunr.min.js', 'lunr.stemmer.support.min.js', 'lunr.no.min.js', 'sok.js']) {
  vm.runInContext(fs.readFileSync(path.join(dir, file), 'utf8'), context, { filename: file });
}
if (typeof context.saksgangSokTermer !== 'function') {
  console.error('sok.js did not define saksgangSokTermer');
  process.exit(1);
}
const texts = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
// Arrays made in the other context are copied out as plain JSON.
const terms = texts.map((t) => JSON.parse(JSON.stringify(context.saksgangSokTermer(t))));
process.stdout.write(JSON.stringify(terms));
