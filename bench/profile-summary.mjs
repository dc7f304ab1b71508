#!/usr/bin/env node
// Where a worker's CPU time went: self time by function and by package, summed over V8 CPU
// profiles (.cpuprofile, as written by `node --cpu-prof`, e.g. `npm run bench -- --profile DIR`).
// Idle time (the event loop waiting) is left out of the shares; garbage collection is not.
//
//   node bench/profile-summary.mjs DIR|FILE... [--top N] [--min-ms N]
//
// With a directory, only the profiles of processes that ran imapd or pop3d code are read
// (not couriertcpd's or a pre-started worker's that never served a connection).
// Functions in a worker's bundle (scripts/bundle.mjs) are put back in the module they came
// from by the `// packages/...` comment esbuild writes before each module's code.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: "string", default: "25" }, "min-ms": { type: "string", default: "0" } },
});
if (!positionals.length) {
  process.stderr.write("usage: node bench/profile-summary.mjs DIR|FILE... [--top N] [--min-ms N]\n");
  process.exit(2);
}

const files = positionals.flatMap((p) =>
  statSync(p).isDirectory()
    ? readdirSync(p)
        .filter((f) => f.endsWith(".cpuprofile"))
        .map((f) => join(p, f))
    : [p],
);

/** For a bundle: the first line of each module in it, and the module's path. */
const bundles = new Map();
function bundleModules(url) {
  if (!bundles.has(url)) {
    const file = url.startsWith("file:") ? fileURLToPath(url) : url;
    const starts = [];
    if (existsSync(file)) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((l, i) => {
          const m = /^\/\/ ((?:packages|node_modules)\/\S+\.(?:js|cjs|mjs|json))$/.exec(l);
          if (m) starts.push([i, m[1]]);
        });
    }
    bundles.set(url, starts);
  }
  return bundles.get(url);
}

/** A call frame's script, with a bundle's frames given the module they were bundled from. */
function origin({ url, lineNumber }) {
  if (!/\/dist\/bundle\/[^/]+\.cjs$/.test(url)) return url;
  let found;
  for (const [line, path] of bundleModules(url)) {
    if (line > lineNumber) break;
    found = path;
  }
  return found ? `${url.replace(/\/packages\/.*$/, "")}/${found}` : url;
}

/** The package a script belongs to: packages/<name>, node:internal, a dependency, or V8's own. */
function bucket(url, name) {
  if (!url) return name.startsWith("(") ? name : "(native)";
  const pkg = /\/packages\/([^/]+)\//.exec(url);
  if (pkg) return `@courier-imap/${pkg[1]}`;
  const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1];
  if (url.startsWith("node:")) return "node:internal";
  return url;
}

const byFunction = new Map();
const byBucket = new Map();
let total = 0;
let idle = 0;
let used = 0;
for (const file of files) {
  const p = JSON.parse(readFileSync(file, "utf8"));
  const nodes = new Map(p.nodes.map((n) => [n.id, n]));
  if (statSync(file).isFile() && positionals.every((x) => statSync(x).isDirectory())) {
    const ours = p.nodes.some((n) =>
      /packages\/(imapd|pop3d)\/dist\/src\/(commands|session|pop3)/.test(origin(n.callFrame)),
    );
    if (!ours) continue;
  }
  used++;
  const self = new Map();
  // timeDeltas[i] is the time before samples[i]
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i + 1] ?? 0) / 1000;
    self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + dt);
  }
  for (const [id, ms] of self) {
    const n = nodes.get(id);
    const { functionName, lineNumber } = n.callFrame;
    const url = origin(n.callFrame);
    const name = functionName || "(anonymous)";
    if (name === "(idle)") {
      idle += ms;
      continue;
    }
    total += ms;
    const short = url
      .replace(/^.*\/packages\//, "")
      .replace(/^.*node_modules\//, "")
      .replace(/^file:\/\//, "");
    const key = `${name} ${short ? `${short}:${lineNumber + 1}` : ""}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + ms);
    const b = bucket(url, name);
    byBucket.set(b, (byBucket.get(b) ?? 0) + ms);
  }
}

const top = Number(o.top);
const minMs = Number(o["min-ms"]);
const rows = (m) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .filter(([, ms]) => ms >= minMs)
    .slice(0, top)
    .map(
      ([k, ms]) => `| ${k.replace(/\|/g, "\\|")} | ${ms.toFixed(1)} | ${((100 * ms) / total).toFixed(1)}% |`,
    )
    .join("\n");
process.stdout.write(
  `${used} profile(s); ${total.toFixed(0)} ms on CPU, ${idle.toFixed(0)} ms idle\n\n` +
    `| package | self ms | share |\n|---|---:|---:|\n${rows(byBucket)}\n\n` +
    `| function | self ms | share |\n|---|---:|---:|\n${rows(byFunction)}\n`,
);
