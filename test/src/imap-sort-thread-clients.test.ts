// End to end, issue 7: python3 imaplib's sort() and thread() (RFC 5256) and imapflow's
// view of the CAPABILITY line, against authdaemond + couriertcpd + imapd installed from
// the shipped config (which advertises SORT, SORT=DISPLAY and both THREAD algorithms).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ImapFlow } from "imapflow";
import { instanceForTests } from "./lib/instance-for-tests.js";

const inst = instanceForTests("courier-sort-");

test("imapflow: SORT, SORT=DISPLAY, THREAD=ORDEREDSUBJECT, THREAD=REFERENCES advertised", async () => {
  const c = new ImapFlow({
    host: "127.0.0.1",
    port: inst.info.imap,
    secure: false,
    servername: "localhost",
    tls: { ca: readFileSync(inst.info.certificate) },
    auth: { user: inst.info.user, pass: inst.info.password },
    logger: false,
  });
  await c.connect();
  try {
    for (const cap of ["SORT", "SORT=DISPLAY", "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES"])
      assert.ok(c.capabilities.has(cap), cap);
  } finally {
    await c.logout();
  }
});

test("python3 imaplib: sort() and thread() end to end", () => {
  const script = `
import imaplib, sys
port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
m = imaplib.IMAP4("127.0.0.1", port)
m.login(user, pw)
assert "SORT" in m.capabilities and "THREAD=REFERENCES" in m.capabilities, m.capabilities
m.create("INBOX.Threads")
msgs = [
  ("Mon, 01 Jan 2024 10:00:00 +0000", "<a@x>", None, "Hello world", "zed@example.org"),
  ("Tue, 02 Jan 2024 10:00:00 +0000", "<b@x>", "<a@x>", "Re: Hello world", "amy@example.org"),
  ("Wed, 03 Jan 2024 10:00:00 +0000", "<c@x>", None, "[list] Another topic", "bob@example.org"),
  ("Thu, 04 Jan 2024 10:00:00 +0000", "<d@x>", "<a@x> <b@x>", "Re: Re: Hello world", "carl@example.org"),
  ("Fri, 05 Jan 2024 10:00:00 +0000", "<e@x>", "<a@x>", "Fwd: Hello world", "dan@example.org"),
]
for date, mid, refs, subj, frm in msgs:
  h = "From: %s\\r\\nDate: %s\\r\\nMessage-ID: %s\\r\\nSubject: %s\\r\\n" % (frm, date, mid, subj)
  if refs: h += "References: %s\\r\\n" % refs
  typ, _ = m.append("INBOX.Threads", None, None, (h + "\\r\\nbody\\r\\n").encode())
  assert typ == "OK"
m.select("INBOX.Threads")
typ, data = m.sort("(SUBJECT)", "UTF-8", "ALL")
assert typ == "OK" and data == [b"3 1 2 4 5"], (typ, data)
typ, data = m.sort("(REVERSE DATE)", "UTF-8", "ALL")
assert data == [b"5 4 3 2 1"], data
typ, data = m.sort("(FROM)", "UTF-8", "NOT FROM bob")
assert data == [b"2 4 5 1"], data
typ, data = m.uid("SORT", "(DISPLAYFROM)", "UTF-8", "ALL")
assert typ == "OK" and len(data[0].split()) == 5, data
typ, data = m.thread("REFERENCES", "UTF-8", "ALL")
assert typ == "OK" and data == [b"(1 (2 4)(5))(3)"], (typ, data)
typ, data = m.thread("ORDEREDSUBJECT", "UTF-8", "ALL")
assert data == [b"(1 (2)(4)(5))(3)"], data
typ, data = m.uid("THREAD", "REFERENCES", "UTF-8", "SUBJECT", "hello")
assert typ == "OK" and data[0].count(b"(") == 3, data
m.logout()
print("ok")
`;
  const r = spawnSync("python3", ["-c", script, String(inst.info.imap), inst.info.user, inst.info.password], {
    encoding: "utf8",
    timeout: 30000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "ok");
});
