// Bundle entry.js into ../../api/workbench/static/cypher-editor.{js,css} with every bundled
// package's licence in cypher-editor.LICENSES.txt. Run by `make console-editor`.
import { build } from "esbuild";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

const out = "../../api/workbench/static";
const result = await build({
  entryPoints: ["entry.js"], bundle: true, minify: true, format: "iife", target: "es2020",
  outfile: `${out}/cypher-editor.js`, legalComments: "none", metafile: true, logLevel: "warning",
});

// Every package that contributed code to the bundle, with its licence text.
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
  if (!match) continue;
  const dir = match[1];
  if (packages.has(dir)) continue;
  const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  const file = readdirSync(dir).find(name => /^(licen[cs]e|copying)(\.|$)/i.test(name));
  const text = file ? readFileSync(join(dir, file), "utf8").trim() : `License: ${meta.license} (no licence file shipped)`;
  packages.set(dir, `${meta.name} ${meta.version} — ${meta.license}\n\n${text}\n`);
}
const header = "Third-party code in cypher-editor.js and cypher-editor.css (built by web/console/build.mjs)\n";
writeFileSync(`${out}/cypher-editor.LICENSES.txt`,
              header + "\n" + [...packages.values()].sort().join("\n" + "=".repeat(78) + "\n\n"));
console.log(`bundled ${packages.size} packages into ${out}/cypher-editor.js`);
