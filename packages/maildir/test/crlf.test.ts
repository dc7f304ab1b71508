import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { CHUNK, crlfRange, measureCrlf } from "../src/index.js";
import { makeMaildir } from "./helpers.js";

async function collect(gen: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of gen) parts.push(b);
  return Buffer.concat(parts);
}

test("CRLF form, its size, and arbitrary ranges across chunk boundaries", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const p = join(root, "msg");
  let text = "";
  for (let i = 0; text.length < CHUNK * 3 + 100; i++) text += `line ${i} ${"x".repeat(i % 97)}\n`;
  writeFileSync(p, text);
  const wire = Buffer.from(text.replaceAll("\n", "\r\n"));
  const info = await measureCrlf(p);
  assert.equal(info.size, wire.length);
  assert.equal(info.lfBefore.length, 4);
  assert.deepEqual(await collect(crlfRange(p, info)), wire);
  for (const [s, e] of [
    [0, 1],
    [5, 6],
    [CHUNK - 3, CHUNK + 70000],
    [CHUNK * 2 + 17, wire.length],
    [wire.length - 1, wire.length + 50],
    [wire.length, wire.length + 5],
  ]) {
    assert.deepEqual(await collect(crlfRange(p, info, s, e)), wire.subarray(s, e), `${s}-${e}`);
  }
  const small = join(root, "small");
  writeFileSync(small, "a\nb");
  const si = await measureCrlf(small);
  assert.deepEqual(si, { bytes: 3, size: 4, headerSize: 4, lfBefore: [0] });
  assert.equal(info.headerSize, info.size);
  assert.equal((await collect(crlfRange(small, si, 1, 3))).toString(), "\r\n");
  for (const [content, header] of [
    ["A: b\n\nbody\n", 8],
    ["\nbody\n", 2],
    ["A: b\nC: d\n", 12],
  ] as const) {
    writeFileSync(small, content);
    assert.equal((await measureCrlf(small)).headerSize, header, JSON.stringify(content));
  }
  const big = "H: v\n".repeat(CHUNK / 5) + "\n" + "body\n";
  writeFileSync(small, big);
  const bi = await measureCrlf(small);
  const hdrFile = big.indexOf("\n\n") + 2;
  assert.equal(bi.headerSize, hdrFile + big.slice(0, hdrFile).split("\n").length - 1);
});
