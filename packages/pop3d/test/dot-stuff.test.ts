import assert from "node:assert/strict";
import { test } from "node:test";
import { DotStuffer } from "../src/message/dot-stuff.js";

function encode(text: string, lines?: number, chunk = 3): string {
  const d = new DotStuffer(lines);
  const b = Buffer.from(text);
  const out: Buffer[] = [];
  for (let i = 0; i < b.length; i += chunk) out.push(d.encode(b.subarray(i, i + chunk)));
  out.push(d.finish());
  return Buffer.concat(out).toString();
}

test("RETR: CRLF, dot-stuffing across chunk boundaries, final newline", () => {
  for (const chunk of [1, 2, 3, 100]) {
    assert.equal(encode("A: b\n\n.x\n..\nend\n", undefined, chunk), "A: b\r\n\r\n..x\r\n...\r\nend\r\n.\r\n");
    assert.equal(encode("A: b\n\nno newline", undefined, chunk), "A: b\r\n\r\nno newline\r\n.\r\n");
    assert.equal(encode(".\n", undefined, chunk), "..\r\n.\r\n");
  }
  assert.equal(encode(""), "\r\n.\r\n");
});

test("TOP: headers, blank line, n body lines", () => {
  const msg = "A: 1\nB: 2\n\nl1\n.l2\nl3\n";
  for (const chunk of [1, 4, 100]) {
    assert.equal(encode(msg, 0, chunk), "A: 1\r\nB: 2\r\n\r\n.\r\n");
    assert.equal(encode(msg, 2, chunk), "A: 1\r\nB: 2\r\n\r\nl1\r\n..l2\r\n.\r\n");
    assert.equal(encode(msg, 9, chunk), "A: 1\r\nB: 2\r\n\r\nl1\r\n..l2\r\nl3\r\n.\r\n");
  }
  assert.equal(encode("A: 1\nB: 2", 5), "A: 1\r\nB: 2\r\n.\r\n");
});
