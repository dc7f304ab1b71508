// End to end: ESEARCH (RFC 4731), LIST-STATUS (RFC 5819), CREATE-SPECIAL-USE (RFC 6154) and
// APPEND … UTF8 (RFC 6855) with imapflow and python3 imaplib, against authdaemond +
// couriertcpd + imapd with the shipped config/imapd.dist.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { ImapFlow } from "imapflow";
import { instanceForTests } from "./lib/instance-for-tests.js";

const inst = instanceForTests("courier-esearch-");

/** imapflow, with what it sends collected from its debug log. */
function imapflow(sent: string[] = []): ImapFlow {
  const log = (entry: { src?: string; msg?: string }) => {
    if (entry?.src === "c" && typeof entry.msg === "string") sent.push(entry.msg);
  };
  const nop = () => {};
  return new ImapFlow({
    host: "127.0.0.1",
    port: inst.info.imap,
    secure: false,
    servername: "localhost",
    tls: { ca: readFileSync(inst.info.certificate) },
    auth: { user: inst.info.user, pass: inst.info.password },
    logger: { debug: log, info: nop, warn: nop, error: nop },
  });
}

const MSG = (s: string) => `From: a@example.org\r\nSubject: ${s}\r\n\r\nbody ${s}\r\n`;

test("imapflow: LIST-STATUS in list({statusQuery}), ESEARCH in search({returnOptions})", async () => {
  const sent: string[] = [];
  const c = imapflow(sent);
  await c.connect();
  try {
    for (const cap of ["LIST-EXTENDED", "LIST-STATUS", "ESEARCH", "CREATE-SPECIAL-USE"])
      assert.ok(c.capabilities.has(cap), cap);
    await c.mailboxCreate("INBOX.Stats");
    for (const s of ["one", "two", "three"])
      await c.append("INBOX.Stats", MSG(s), s === "one" ? ["\\Seen"] : []);
    const list = await c.list({ statusQuery: { messages: true, unseen: true, uidNext: true } });
    const stats = list.find((m) => m.path === "INBOX.Stats");
    assert.deepEqual(
      { messages: stats?.status?.messages, unseen: stats?.status?.unseen, uidNext: stats?.status?.uidNext },
      { messages: 3, unseen: 2, uidNext: 4 },
    );
    assert.equal(list.find((m) => m.path === "INBOX")?.status?.messages, 3, "the demo's three messages");
    const listCmd = sent.find((l) => / LIST /.test(l));
    assert.match(
      listCmd ?? "",
      /RETURN \(.*STATUS \((MESSAGES|UNSEEN|UIDNEXT)( (MESSAGES|UNSEEN|UIDNEXT)){2}\)/,
      listCmd,
    );
    assert.ok(!sent.some((l) => / STATUS /.test(l) && !/ LIST /.test(l)), "no separate STATUS commands");

    const lock = await c.getMailboxLock("INBOX.Stats");
    try {
      const r = await c.search({ seen: false }, { uid: true, returnOptions: ["MIN", "MAX", "COUNT", "ALL"] });
      assert.deepEqual(r, { min: 2, max: 3, count: 2, all: "2:3" });
      const none = await c.search({ subject: "nothing like this" }, { returnOptions: ["COUNT"] });
      assert.deepEqual(none, { count: 0 });
      assert.ok(
        sent.some((l) => /UID SEARCH RETURN \(MIN MAX COUNT ALL\) UNSEEN/.test(l)),
        sent.join("\n"),
      );
    } finally {
      lock.release();
    }
  } finally {
    await c.logout();
  }
});

test("CREATE … (USE (\\Archive)) by imaplib; imapflow's list() shows it as specialUse, also after RENAME", async () => {
  const py = `
import imaplib, sys
m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
m.login(sys.argv[2], sys.argv[3])
assert "CREATE-SPECIAL-USE" in m.capabilities, m.capabilities
typ, data = m._simple_command("CREATE", "INBOX.Keep", "(USE (\\\\Archive))")
assert typ == "OK", (typ, data)
typ, data = m._simple_command("CREATE", "INBOX.All", "(USE (\\\\All))")
assert typ == "NO" and data[0].startswith(b"[USEATTR]"), (typ, data)
m.logout()
print("ok")
`;
  const r = spawnSync("python3", ["-c", py, String(inst.info.imap), inst.info.user, inst.info.password], {
    encoding: "utf8",
    timeout: 30000,
  });
  assert.equal(r.status, 0, r.stderr);
  const c = imapflow();
  await c.connect();
  try {
    const list = await c.list();
    assert.equal(list.find((m) => m.path === "INBOX.Keep")?.specialUse, "\\Archive");
    assert.equal(
      list.find((m) => m.path === "INBOX.All"),
      undefined,
    );
    await c.mailboxRename("INBOX.Keep", "INBOX.Kept");
    assert.equal((await c.list()).find((m) => m.path === "INBOX.Kept")?.specialUse, "\\Archive");
  } finally {
    await c.logout();
  }
});

const PY = `
import imaplib, re, sys
port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
m = imaplib.IMAP4("127.0.0.1", port)
m.login(user, pw)
caps = m.capabilities
assert "ESEARCH" in caps and "LIST-STATUS" in caps, caps

# ESEARCH, raw
m.create("INBOX.Py")
for i, flags in enumerate(["(\\\\Seen)", None, "(\\\\Flagged)", None]):
    m.append("INBOX.Py", flags, None, b"Subject: py %d\\r\\n\\r\\nx\\r\\n" % i)
m.select("INBOX.Py")
typ, data = m._simple_command("SEARCH", "RETURN", "(MIN MAX COUNT ALL)", "UNSEEN")
assert typ == "OK", (typ, data)
typ, es = m._untagged_response(typ, data, "ESEARCH")
es = es[0].decode()
tag = re.match(r'\\(TAG "([^"]+)"\\)', es).group(1)
fields = dict(re.findall(r"(MIN|MAX|COUNT|ALL) (\\S+)", es))
assert fields == {"MIN": "2", "MAX": "4", "COUNT": "3", "ALL": "2:4"}, es
typ, data = m._simple_command("UID", "SEARCH", "RETURN", "(COUNT)", "SEEN")
typ, es = m._untagged_response(typ, data, "ESEARCH")
assert re.fullmatch(r'\\(TAG "[^"]+"\\) UID COUNT 1', es[0].decode()), es
typ, data = m.search(None, "UNSEEN")
assert data == [b"2 3 4"], data  # without RETURN: the plain SEARCH reply

# LIST-STATUS, raw
typ, data = m._simple_command("LIST", '""', '"*"', "RETURN", "(STATUS (MESSAGES UNSEEN))")
assert typ == "OK", (typ, data)
lists = m.untagged_responses.pop("LIST", [])
statuses = m.untagged_responses.pop("STATUS", [])
names = [re.search(rb'"\\." "?([^"]*)"?$', l).group(1).decode() for l in lists]
assert "INBOX" in names and "INBOX.Py" in names, lists
got = {}
for s in statuses:
    mm = re.match(rb'"?([^"]*)"? \\(MESSAGES (\\d+) UNSEEN (\\d+)\\)', s)
    got[mm.group(1).decode()] = (int(mm.group(2)), int(mm.group(3)))
assert got["INBOX.Py"] == (4, 3), got
assert got["INBOX"][0] >= 3, got
m.logout()
print("ok")
`;

test("python3 imaplib: SEARCH RETURN (MIN MAX COUNT ALL), LIST … RETURN (STATUS (MESSAGES UNSEEN))", () => {
  const r = spawnSync("python3", ["-c", PY, String(inst.info.imap), inst.info.user, inst.info.password], {
    encoding: "utf8",
    timeout: 30000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "ok");
});

const PY_UTF8 = `
import imaplib, sys
port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
m = imaplib.IMAP4("127.0.0.1", port)
m.login(user, pw)
m.create("INBOX.Utf8")

def raw_append(m, literal, body, tail=b")"):
    # imaplib cannot send APPEND … UTF8 (~{n}); the command goes out by hand
    tag = m._new_tag()
    m.send(tag + b" APPEND INBOX.Utf8 UTF8 (" + literal % len(body) + b"\\r\\n")
    if b"+" not in literal:
        cont = m.readline()
        if not cont.startswith(b"+"):
            return cont
    m.send(body + tail + b"\\r\\n")
    while True:
        line = m.readline()
        if line.startswith(tag + b" "):
            return line

small = "Subject: Grüße aus Köln\\r\\nFrom: Jörg <j@example.org>\\r\\n\\r\\nHallo ☃\\r\\n".encode()
large = small + ("Grüße ".encode() * 3000) + b"\\r\\n"
# not enabled yet: BAD
line = raw_append(m, b"~{%d+}", small)
assert b" BAD " in line, line
typ, data = m.enable("UTF8=ACCEPT")
assert typ == "OK", (typ, data)
for literal, body in [(b"~{%d}", small), (b"~{%d+}", small), (b"~{%d}", large), (b"~{%d+}", large)]:
    line = raw_append(m, literal, body)
    assert b" OK [APPENDUID " in line, (literal, line)
m.select("INBOX.Utf8")
typ, data = m.fetch("1:4", "(RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
parts = [d for d in data if isinstance(d, tuple)]
assert len(parts) == 4, data
for p in parts:
    assert p[1].decode("utf-8").startswith("Subject: Grüße aus Köln"), p
typ, data = m.fetch("4", "(BODY.PEEK[TEXT])")
assert data[0][1].startswith("Hallo ☃".encode()) and data[0][1].count("Grüße".encode()) == 3000, data[0][1][:80]
m.logout()
print("ok")
`;

test("python3 imaplib: APPEND … UTF8 (~{n}) and (~{n+}), small and streamed, after ENABLE UTF8=ACCEPT", () => {
  const r = spawnSync(
    "python3",
    ["-c", PY_UTF8, String(inst.info.imap), inst.info.user, inst.info.password],
    {
      encoding: "utf8",
      timeout: 30000,
    },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), "ok");
});
