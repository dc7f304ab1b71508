import assert from "node:assert/strict";
import { test } from "node:test";
import {
  encodeAuth,
  formatRecord,
  getOption,
  mergeDefaultOptions,
  ProtocolError,
  parseReply,
  RequestReader,
  UnsafeValueError,
} from "../src/index.js";

test("AUTH request is byte-exact with the spec's worked example (§12.1)", () => {
  const req = encodeAuth("imap", "login", "john@example.com\nsecret\n", { TCPREMOTEIP: "192.0.2.7" });
  assert.equal(req.length, 65);
  assert.equal(req.toString(), "TCPREMOTEIP=192.0.2.7\nAUTH 35\nimap\nlogin\njohn@example.com\nsecret\n");
});

test("reply record keeps Courier's field order and is 195 bytes for §12.1", () => {
  const out = formatRecord({
    uid: 1012,
    gid: 1012,
    home: "/home/vmail/john",
    address: "john@example.com",
    maildir: "/home/vmail/john/Maildir",
    quota: "10000000S",
    passwd: "$1$M6YnO2lA$lRvzbaFWBROo4Adjqcg1E1",
    passwd2: "secret",
    options: "disablepop3=1",
  });
  assert.equal(Buffer.byteLength(out), 195);
  assert.ok(out.startsWith("UID=1012\nGID=1012\nHOME=/home/vmail/john\nADDRESS="));
  assert.ok(out.endsWith("OPTIONS=disablepop3=1\n.\n"));
});

test("a value with a newline is refused, never sent", () => {
  assert.throws(() => formatRecord({ gid: 1, home: "/h\nUID=0" }), UnsafeValueError);
});

test("request reader parses meta, PRE, AUTH split across chunks, and rejects junk", () => {
  const r = new RequestReader();
  assert.equal(r.push(Buffer.from("TCPREMOTEIP=::1\nAUTH 35\nimap\nlo")), undefined);
  const req = r.push(Buffer.from("gin\njohn@example.com\nsecret\n"));
  assert.deepEqual(req, {
    cmd: "AUTH",
    meta: { TCPREMOTEIP: "::1" },
    service: "imap",
    authtype: "login",
    authdata: "john@example.com\nsecret\n",
  });
  const pre = new RequestReader().push(Buffer.from("PRE . login john doe\n"));
  assert.deepEqual(pre, { cmd: "PRE", meta: {}, module: ".", service: "login", userid: "john doe" });
  assert.throws(() => new RequestReader().push(Buffer.from("HELLO\n")), ProtocolError);
  assert.throws(() => new RequestReader().push(Buffer.from("AUTH 9000\n")), ProtocolError);
  assert.throws(() => new RequestReader().push(Buffer.alloc(9000, 65)), ProtocolError);
});

test("reply parsing: record, FAIL, and silence as temporary failure", () => {
  const ok = parseReply(Buffer.from("UID=5\nGID=6\nHOME=/h\nADDRESS=a\n.\n"));
  assert.equal(ok.kind, "ok");
  if (ok.kind === "ok") assert.deepEqual(ok.record, { uid: 5, gid: 6, home: "/h", address: "a" });
  assert.equal(parseReply(Buffer.from("FAIL\n")).kind, "fail");
  assert.equal(parseReply(Buffer.alloc(0)).kind, "tempfail");
});

test("options lookup and DEFAULTOPTIONS merge", () => {
  assert.equal(getOption("disableimap=1,group=staff", "group"), "staff");
  assert.equal(getOption("disableimap", "disableimap"), "");
  assert.equal(getOption("disableimapx=1", "disableimap"), undefined);
  assert.equal(
    mergeDefaultOptions("disablepop3=1", "disablewebmail=1,disablepop3=0"),
    "disablepop3=1,disablewebmail=1",
  );
  assert.equal(mergeDefaultOptions("", "a=1"), "a=1");
});
