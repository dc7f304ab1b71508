#!/usr/bin/env node
// Maildir store benchmark (issue 5): open (scan + courierimapuiddb) of a folder of N messages
// — first open (assigns every UID, writes the db), cold open (new process, page cache dropped
// when running as root), warm open (same process again) — and delivery of M messages into new/
// (tmp/ + fsync + link, as deliverquota).
//
//   npm run build && node bench/maildir.mjs [--messages=100000] [--deliveries=10000] [--dir=DIR]
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const LIB = join(ROOT, "packages/maildir/dist/src/index.js");
const { values: o } = parseArgs({
  options: {
    messages: { type: "string", default: "100000" },
    deliveries: { type: "string", default: "10000" },
    dir: { type: "string" },
    child: { type: "string" },
  },
});

async function openOnce(root, times) {
  const { Maildir } = await import(LIB);
  const out = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    const f = await (await Maildir.open(root)).openFolder("INBOX");
    out.push({ ms: performance.now() - t0, messages: f.messages.length });
  }
  return out;
}

if (o.child) {
  process.stdout.write(JSON.stringify(await openOnce(o.child, 2)));
  process.exit(0);
}

const N = Number(o.messages);
const M = Number(o.deliveries);
const base = o.dir ?? mkdtempSync(join(tmpdir(), "maildir-bench-"));
const root = join(base, "Maildir");
for (const d of ["", "tmp", "new", "cur"]) mkdirSync(join(root, d), { recursive: true });

const t0 = performance.now();
const body = "From: a@example.com\nSubject: bench\n\n" + "x".repeat(2000) + "\n";
const sec = 1700000000;
for (let i = 0; i < N; i++) {
  const name = `${sec + Math.floor(i / 10)}.M${i}P1234V0000000000000803I${i.toString(16).toUpperCase().padStart(16, "0")}.bench,S=${body.length}:2,${i % 3 ? "S" : ""}`;
  writeFileSync(join(root, "cur", name), body);
}
console.log(`populated ${N} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const first = await openOnce(root, 1);
console.log(`first open (no uiddb, assigns ${first[0].messages} UIDs): ${first[0].ms.toFixed(0)} ms`);
let dropped = false;
try {
  spawnSync("sync");
  writeFileSync("/proc/sys/vm/drop_caches", "3");
  dropped = true;
} catch {}
const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), `--child=${root}`], {
  encoding: "utf8",
});
const [cold, warm] = JSON.parse(r.stdout);
console.log(
  `cold open (new process${dropped ? ", page cache dropped" : ", page cache NOT dropped (not root)"}): ${cold.ms.toFixed(0)} ms`,
);
console.log(`warm open (same process, second time): ${warm.ms.toFixed(0)} ms`);

const { deliver } = await import(LIB);
const droot = join(base, "Deliver");
for (const d of ["", "tmp", "new", "cur"]) mkdirSync(join(droot, d), { recursive: true });
const t1 = performance.now();
for (let i = 0; i < M; i++) await deliver(droot, body);
const secs = (performance.now() - t1) / 1000;
console.log(`deliver ${M} messages (fsync each): ${secs.toFixed(1)} s, ${(M / secs).toFixed(0)} msg/s`);
if (!o.dir) rmSync(base, { recursive: true, force: true });
