import assert from "node:assert/strict";
import { test } from "node:test";
import { classify, LinePump } from "../src/pump.js";
import { formatDatagram, type LogSink, syslogTimestamp } from "../src/syslog.js";

function collect(): { sink: LogSink; out: [number, string][] } {
  const out: [number, string][] = [];
  return { out, sink: { write: (p, m) => out.push([p, m.toString("latin1")]), close() {} } };
}

test("prefixes select the priority and are removed with the spaces after them", () => {
  const c = (s: string) => {
    const r = classify(Buffer.from(s));
    return [r.priority, r.text.toString()];
  };
  assert.deepEqual(c("ERR: x"), [3, "x"]);
  assert.deepEqual(c("WARN:x"), [4, "x"]);
  assert.deepEqual(c("ALERT:"), [1, ""]);
  assert.deepEqual(c("CRIT:  two"), [2, "two"]);
  assert.deepEqual(c("DEBUG: d"), [7, "d"]);
  assert.deepEqual(c("INFO: LOGIN"), [6, "LOGIN"]);
  assert.deepEqual(c("  WARN: not a prefix"), [6, "WARN: not a prefix"]);
  assert.deepEqual(c("\tALERT: tab kept"), [6, "\tALERT: tab kept"]);
  assert.deepEqual(c("err: lower case"), [6, "err: lower case"]);
});

test("lines over 511 bytes are split, each piece classified on its own; EOF flushes", () => {
  const { sink, out } = collect();
  const p = new LinePump(sink);
  p.push(Buffer.from(`ERR: ${"A".repeat(300)}`));
  p.push(Buffer.from(`${"A".repeat(300)}\nlast`));
  p.end();
  assert.deepEqual(out, [
    [3, "A".repeat(506)],
    [6, "A".repeat(94)],
    [6, "last"],
  ]);
});

test("datagrams are glibc's local format without a pid", () => {
  const d = new Date(2024, 0, 5, 7, 8, 9);
  assert.equal(syslogTimestamp(d), "Jan  5 07:08:09");
  assert.equal(
    formatDatagram(2 * 8 + 6, "imapd", Buffer.from("LOGIN"), d).toString(),
    "<22>Jan  5 07:08:09 imapd: LOGIN",
  );
});
