#!/usr/bin/env node
// Lint the named queries with Neo4j's own Cypher linter, offline, so the library stays valid
// Neo4j 5 Cypher and not only FalkorDB Cypher (the test suite runs every query on FalkorDB).
//
//   node queries/lint/lint.mjs [--json] [--cache FILE] [FILE.cypher ...]
//                                           (default: every queries/*.cypher)
//
// Each query is linted as Cypher 5 with:
//   - its declared parameters (`// param: NAME TYPE [= DEFAULT]`), so an undeclared $param is an error;
//   - the labels, relationship types and properties of graph/schema.yaml: a name outside the
//     schema contract is an error;
//   - only the functions and procedures of portable.json, the subset both stores run (each is
//     checked against Neo4j 5's registry as this package ships it): anything else is an error.
// Warnings that portable.json accepts (with the reason) are not shown.
// With --cache FILE, what the linter said of a query is kept in FILE by a hash of everything it
// depends on (the query's text, the schema's names, portable.json, this script, the linter's
// version), and not worked out again while none of them changes: Neo4j's semantic analysis
// takes about a second a query, five for the longest.
// Prints `file:line:col: error|warning: message` and exits 1 when there is any error
// (severity 1), 2 when the linter itself cannot run, 0 otherwise.

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const QUERY_DIR = resolve(HERE, '..');
const SCHEMA_FILE = resolve(HERE, '..', '..', 'graph', 'schema.yaml');
const PORTABLE_FILE = join(HERE, 'portable.json');
const VERSION = 'CYPHER 5';
const ERROR = 1;
const WARNING = 2;
// Example values by declared type: the linter only needs to know a parameter exists.
const SAMPLE = { string: 'x', date: '2025-05-22', int: 1, float: 1.5, bool: true, list: ['x'] };
const PARAM_LINE = /^\/\/\s*param\s*:\s*(\w+)\s+(string|date|int|float|bool|list)\b/;
const NOT_IN_SCHEMA = /is not present in the database/;
const NOT_PORTABLE = /^(Function|Procedure) (\S+) is not present in the database.*$/;

function fail(message) {
  process.stderr.write(`lint: ${message}\n`);
  process.exit(2);
}

async function loadDependencies() {
  try {
    const support = await import('@neo4j-cypher/language-support');
    const yaml = await import('yaml');
    return { support, yaml };
  } catch (error) {
    fail(`cannot load the linter (${error.code || error.message}). ` +
         'Install it with: npm ci --prefix queries/lint');
  }
}

function schemaNames(yaml) {
  const schema = yaml.parse(readFileSync(SCHEMA_FILE, 'utf8'));
  const properties = new Set([
    ...Object.keys(schema.common_node_properties || {}),
    ...Object.keys(schema.common_relationship_properties || {}),
  ]);
  for (const group of [schema.labels, schema.relationships]) {
    for (const spec of Object.values(group || {})) {
      Object.keys((spec && spec.properties) || {}).forEach((p) => properties.add(p));
    }
  }
  return {
    labels: Object.keys(schema.labels || {}),
    relationshipTypes: Object.keys(schema.relationships || {}),
    propertyKeys: [...properties],
  };
}

// The portable functions and procedures, with Neo4j 5's own signatures for each.
function portableRegistry(support) {
  const portable = JSON.parse(readFileSync(PORTABLE_FILE, 'utf8'));
  const neo4j = support.testData.mockSchema;
  const pick = (registry, names, what) => {
    const byLower = new Map(Object.keys(registry).map((name) => [name.toLowerCase(), name]));
    const picked = {};
    for (const name of names) {
      const found = byLower.get(name.toLowerCase());
      if (!found) fail(`portable.json lists ${what} ${name}, which Neo4j 5 does not have`);
      picked[found] = registry[found];
    }
    return picked;
  };
  return {
    functions: { [VERSION]: pick(neo4j.functions[VERSION], Object.keys(portable.functions), 'function') },
    procedures: { [VERSION]: pick(neo4j.procedures[VERSION], Object.keys(portable.procedures), 'procedure') },
  };
}

function declaredParameters(text) {
  const parameters = {};
  for (const line of text.split('\n')) {
    const match = PARAM_LINE.exec(line.trim());
    if (match) parameters[match[1]] = SAMPLE[match[2]];
  }
  return parameters;
}

// What a query's diagnostics depend on besides its text, as one string for the cache's keys:
// this script, the linter's locked version, the portable subset and the schema.
function cacheContext() {
  const own = readFileSync(fileURLToPath(import.meta.url), 'utf8');
  return [own, join(HERE, 'package-lock.json'), PORTABLE_FILE, SCHEMA_FILE]
    .map((file, i) => (i ? readFileSync(file, 'utf8') : own)).join('\0');
}

function readCache(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {};  // none yet, or unreadable: everything is linted
  }
}

function writeCache(path, entries) {
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, JSON.stringify(entries));
  renameSync(partial, path);  // whole or not at all, with another run writing beside it
}

// Neo4j's linter with the schema's names and the portable registry, loaded the first time a
// query is not in the cache (loading it is a second of its own).
let linter = null;
async function loadLinter() {
  if (!linter) {
    const { support, yaml } = await loadDependencies();
    const registry = portableRegistry(support);
    linter = { support, base: { ...schemaNames(yaml), ...registry } };
  }
  return linter;
}

async function lintFile(file, accepted, cache) {
  const text = readFileSync(file, 'utf8');
  const key = cache && createHash('sha256').update(cache.context).update('\0').update(text).digest('hex');
  let diagnostics = cache && cache.entries[key];
  if (!diagnostics) {
    const { support, base } = await loadLinter();
    ({ diagnostics } = support.lintCypherQuery(text, {
      ...base, parameters: declaredParameters(text), defaultLanguage: VERSION,
    }));
    diagnostics = diagnostics.map(({ severity, message, range }) => ({ severity, message, range }));
  }
  if (cache) cache.used[key] = diagnostics;
  const shownDiagnostics = diagnostics.filter(
    (d) => d.severity === ERROR || !accepted.some((message) => d.message.includes(message)));
  return shownDiagnostics.map((d) => {
    const outsideSchema = d.severity === WARNING && NOT_IN_SCHEMA.test(d.message);
    const shown = relative(process.cwd(), file);
    return {
      file: shown && !shown.startsWith('..') ? shown : file,
      line: d.range.start.line + 1,
      column: d.range.start.character + 1,
      severity: outsideSchema || d.severity === ERROR ? 'error' : 'warning',
      message: outsideSchema
        ? (/^(Label|Relationship type) /.test(d.message) ? '' : 'Property ') +
          d.message.replace(NOT_IN_SCHEMA, 'is not in graph/schema.yaml').replace(/\. Make sure.*$/, '')
        : d.message.replace(NOT_PORTABLE, '$1 $2 is not one both FalkorDB and Neo4j 5 run ' +
                            '(queries/lint/portable.json)'),
    };
  });
}

async function main() {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const at = args.indexOf('--cache');
  const cachePath = at >= 0 ? args[at + 1] : null;
  if (at >= 0 && !cachePath) fail('--cache needs a file to keep the results in');
  let files = args.filter((a, i) => a !== '--json' && (at < 0 || (i !== at && i !== at + 1)));
  if (files.length === 0) {
    files = readdirSync(QUERY_DIR).filter((f) => f.endsWith('.cypher')).sort()
      .map((f) => join(QUERY_DIR, f));
  }
  if (!cachePath) await loadLinter();  // without a cache, a linter that cannot load is said at once
  const accepted = (JSON.parse(readFileSync(PORTABLE_FILE, 'utf8')).accepted_warnings || [])
    .map((w) => w.message);
  const cache = cachePath && { context: cacheContext(), entries: readCache(cachePath), used: {} };
  const found = [];
  for (const file of files) {
    try {
      found.push(...await lintFile(resolve(file), accepted, cache));
    } catch (error) {
      fail(`cannot lint ${file}: ${error.message}`);
    }
  }
  if (cache) {
    // this run's entries first, then as many older ones as keep the file small
    const kept = Object.entries(cache.entries).filter(([key]) => !(key in cache.used)).slice(-200);
    writeCache(cachePath, { ...Object.fromEntries(kept), ...cache.used });
  }
  const errors = found.filter((d) => d.severity === 'error').length;
  if (json) {
    process.stdout.write(JSON.stringify({ files: files.length, errors, diagnostics: found }) + '\n');
  } else {
    for (const d of found) {
      process.stdout.write(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}\n`);
    }
    process.stderr.write(`lint: ${files.length} queries, ${errors} errors, ` +
                         `${found.length - errors} warnings\n`);
  }
  process.exit(errors ? 1 : 0);
}

await main();
