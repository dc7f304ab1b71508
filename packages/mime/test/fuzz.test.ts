// Random and mutated messages (seeded, ~8 s): the parser and every renderer must not
// throw or hang, offsets must stay inside the message, and memory must stay bounded.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  MessageParser,
  type MessageStructure,
  type MimePart,
  parseSection,
  renderBodyStructure,
  renderEnvelope,
  resolveSection,
  TextExtractor,
} from "../src/index.js";
import { fixture, fixtureNames } from "./fixtures.js";

const BUDGET_MS = Number(process.env.MIME_FUZZ_MS ?? 8000);

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
}

const PIECES = [
  "\n",
  "\r\n",
  "\r",
  "\0",
  "--",
  "--b\n",
  "--b--\n",
  "Content-Type: multipart/mixed; boundary=b\n",
  "Content-Type: message/rfc822\n",
  'Content-Type: multipart/digest; boundary="b"\n',
  "Content-Transfer-Encoding: base64\n",
  "\n\n",
  " ",
  "\t",
  ":",
  "=?utf-8?q?=C3?=",
  "\xff\xfe",
  "(",
  ")",
  "<",
  ">",
  '"',
  "\\",
  ";",
  "filename*0*=utf-8''%",
];

function mutate(msg: Buffer, r: () => number): Buffer {
  let s = msg.toString("latin1");
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const op = r();
    if (op < 0.4) s = s.slice(0, at) + PIECES[Math.floor(r() * PIECES.length)] + s.slice(at);
    else if (op < 0.6) s = s.slice(0, at) + s.slice(at + Math.floor(r() * 40));
    else if (op < 0.8) s = s.slice(0, at) + String.fromCharCode(Math.floor(r() * 256)) + s.slice(at + 1);
    else s = s.slice(0, at) + s.slice(Math.floor(r() * s.length)); // splice with itself
  }
  return Buffer.from(s, "latin1");
}

function randomMessage(r: () => number): Buffer {
  let s = "";
  const n = Math.floor(r() * 60);
  for (let i = 0; i < n; i++) {
    s += r() < 0.7 ? PIECES[Math.floor(r() * PIECES.length)] : String.fromCharCode(Math.floor(r() * 256));
  }
  return Buffer.from(s, "latin1");
}

function checkPart(p: MimePart, size: number, depth: number, count: { n: number }): void {
  count.n++;
  assert.ok(depth <= 102, "depth");
  assert.ok(p.headerOffset >= 0 && p.headerSize >= 0 && p.bodySize >= 0 && p.bodyLines >= 0);
  assert.ok(p.headerOffset + p.headerSize + p.bodySize <= size, "part inside message");
  for (const c of p.parts ?? []) {
    assert.ok(c.headerOffset >= p.headerOffset + p.headerSize, "child after parent header");
    assert.ok(
      c.headerOffset + c.headerSize + c.bodySize <= p.headerOffset + p.headerSize + p.bodySize,
      "child inside",
    );
    checkPart(c, size, depth + 1, count);
  }
  if (p.message) {
    assert.equal(p.message.headerOffset, p.headerOffset + p.headerSize);
    checkPart(p.message, size, depth + 1, count);
  }
}

const SECTIONS = [
  "",
  "1",
  "1.MIME",
  "2.1.HEADER",
  "1.1.TEXT",
  "HEADER.FIELDS (From To)",
  "3.2.1",
  "TEXT",
].map((s) => parseSection(s)!);

function exercise(msg: Buffer, r: () => number): MessageStructure {
  const p = new MessageParser();
  let i = 0;
  while (i < msg.length) {
    const n = 1 + Math.floor(r() * 64);
    p.write(msg.subarray(i, i + n));
    i += n;
  }
  const s = p.end();
  const wireSize = msg.length + msg.toString("latin1").split("\n").length - 1;
  assert.equal(s.size, wireSize);
  checkPart(s.root, s.size, 0, { n: 0 });
  renderEnvelope(s.root.envelope);
  renderBodyStructure(s.root, { extended: true });
  renderBodyStructure(s.root, { extended: false });
  for (const sec of SECTIONS) {
    const d = resolveSection(s, sec);
    if (d.kind !== "bytes") assert.ok(d.start >= 0 && d.start <= d.end && d.end <= s.size);
  }
  const ex = new TextExtractor(() => {});
  ex.write(msg);
  ex.end();
  return s;
}

test(`fuzz: random and mutated messages for ${BUDGET_MS} ms`, () => {
  const seeds = fixtureNames().map(fixture);
  const r = rng(Number(process.env.MIME_FUZZ_SEED ?? 20240601));
  const stop = Date.now() + BUDGET_MS;
  let runs = 0;
  let slowest = 0;
  const heap0 = process.memoryUsage().heapUsed;
  while (Date.now() < stop) {
    let msg = r() < 0.2 ? randomMessage(r) : seeds[Math.floor(r() * seeds.length)];
    for (let k = Math.floor(r() * 4); k >= 0; k--) msg = mutate(msg, r);
    const t0 = performance.now();
    try {
      exercise(msg, r);
    } catch (e) {
      throw new Error(`input ${JSON.stringify(msg.toString("latin1"))}: ${(e as Error).stack}`);
    }
    slowest = Math.max(slowest, performance.now() - t0);
    runs++;
  }
  assert.ok(runs > 100, `only ${runs} runs`);
  // Generous bounds: they catch hangs and quadratic blow-ups, not speed on a busy machine.
  assert.ok(slowest < 10_000, `slowest input took ${slowest} ms`);
  assert.ok(process.memoryUsage().heapUsed - heap0 < 200 * 1024 * 1024, "heap grew");
});

test("pathological inputs: deep nesting, endless header, huge line, many boundaries", () => {
  const r = rng(7);
  const cases = [
    Buffer.from("Content-Type: message/rfc822\n\n".repeat(5000)),
    Buffer.from(
      `Content-Type: multipart/mixed; boundary=a\n\n${"--a\nContent-Type: multipart/mixed; boundary=a\n\n".repeat(3000)}`,
    ),
    Buffer.from(`Subject: ${"x".repeat(3_000_000)}\n\nbody`),
    Buffer.from(`X: y\n${" folded\n".repeat(200_000)}\nbody`),
    Buffer.from(
      `Content-Type: multipart/mixed; boundary=${"b".repeat(5000)}\n\n--${"b".repeat(5000)}\n\nx\n`,
    ),
    Buffer.from(`Content-Type: multipart/mixed; boundary=q\n\n${"--q\n\n".repeat(20000)}`),
    Buffer.alloc(1_000_000, 0),
    Buffer.alloc(1_000_000, 13),
  ];
  for (const msg of cases) {
    const t0 = performance.now();
    exercise(msg, r);
    assert.ok(performance.now() - t0 < 30_000, "too slow: a quadratic path?");
  }
});
