// Validates AsyncAPI documents (YAML or JSON) with the official parser,
// @asyncapi/parser, as pinned in package.json beside this file.
//
//   node validate.mjs FILE...
//
// Prints `ok <path>` for each valid file; otherwise one line per error
// diagnostic, `<path>: error <code>: <message> at <json path>` (a JSON
// pointer, followed by `(in <file>)` when it is inside a referenced file).
// Warnings are printed as `<path>: warning ...` lines but do not fail. Exit
// status: 0 if every file is valid, 1 if any has an error (or yields no
// document), 2 on bad usage.
//
// Called by the Rust test tests/asyncapi.rs on the AsyncAPI documents eventcat
// exports; .ci/test installs the packages first with `npm ci`.
//
// Each file is parsed with its absolute path as `source`, so relative-file
// `$ref`s resolve against it. Nothing may come from the network: the parser's
// resolver would fetch http(s) `$ref`s, so every HTTP client is disabled below
// and such a reference fails as an error diagnostic instead.
import http from 'node:http';
import https from 'node:https';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';

function offline(what) {
  return () => {
    throw new Error(`network access is disabled (${what}): only local $refs are allowed`);
  };
}
for (const [name, mod] of [['http', http], ['https', https]]) {
  mod.request = offline(`${name}.request`);
  mod.get = offline(`${name}.get`);
}
globalThis.fetch = offline('fetch');

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node validate.mjs FILE...  (AsyncAPI documents, YAML or JSON)');
  process.exit(2);
}

const parser = new Parser();
let failed = false;

for (const file of files) {
  const source = resolve(file);
  let text;
  try {
    text = await readFile(source, 'utf8');
  } catch (err) {
    console.log(`${file}: error read: ${err.message}`);
    failed = true;
    continue;
  }
  const { document, diagnostics } = await parser.parse(text, { source });
  let errors = 0;
  for (const d of diagnostics) {
    const isError = d.severity === DiagnosticSeverity.Error;
    if (!isError && d.severity !== DiagnosticSeverity.Warning) continue;
    if (isError) errors += 1;
    const at = '/' + d.path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
    const where = d.source && d.source !== source ? ` (in ${d.source})` : '';
    console.log(`${file}: ${isError ? 'error' : 'warning'} ${d.code}: ${d.message} at ${at}${where}`);
  }
  if (errors === 0 && document === undefined) {
    console.log(`${file}: error no-document: the parser returned no document`);
    errors = 1;
  }
  if (errors === 0) console.log(`ok ${file}`);
  else failed = true;
}

process.exit(failed ? 1 : 0);
