// Runs every compiled test file (unit tests of each package and the end-to-end tests in
// test/) with node's built-in test runner, which prints its summary at the end.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function collect(dir, out) {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) collect(p, out);
    else if (name.endsWith(".test.js")) out.push(p);
  }
}

const filter = process.argv.slice(2);
const files = [];
for (const pkg of readdirSync(join(root, "packages")))
  collect(join(root, "packages", pkg, "dist", "test"), files);
collect(join(root, "test", "dist"), files);
const chosen = filter.length ? files.filter((f) => filter.some((w) => f.includes(w))) : files;
if (!chosen.length) {
  console.error("run-tests: no test files found (did the build run?)");
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ["--test", "--test-reporter=spec", "--test-concurrency=4", "--test-timeout=300000", ...chosen],
  { stdio: "inherit", cwd: root },
);
process.exit(r.status ?? 1);
