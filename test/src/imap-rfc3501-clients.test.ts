// End to end, RFC 3501 with real clients (issue 6): imapflow, python3 imaplib and curl each
// doing folders, APPEND, FETCH, SEARCH, STORE, COPY/EXPUNGE against a whole instance
// (authdaemond + couriertcpd + imapd workers) over real sockets and a real Maildir.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ImapFlow } from "imapflow";
import { createInstance, deliver, type InstanceInfo, type Running, startInstance } from "./lib/instance.js";
import { freePort } from "./lib/net.js";

let dir: string;
let info: InstanceInfo;
let server: Running;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "courier-rfc3501-"));
  info = createInstance({
    dir,
    imapPort: await freePort(),
    imapsPort: await freePort(),
    certBits: 2048,
    imapd: { IMAP_LOGIN_FAIL_DELAY: "0" },
  });
  server = await startInstance(info);
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function imapflow(): ImapFlow {
  return new ImapFlow({
    host: "127.0.0.1",
    port: info.imap,
    secure: false,
    servername: "localhost",
    tls: { ca: readFileSync(info.certificate) },
    auth: { user: info.user, pass: info.password },
    logger: false,
  });
}

async function withClient<T>(f: (c: ImapFlow) => Promise<T>): Promise<T> {
  const c = imapflow();
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.logout();
  }
}

/** Files of a folder's maildir (cur and new), e.g. folder "" for INBOX, ".Work" for INBOX.Work. */
function files(folder: string): string[] {
  const root = join(info.maildir, folder);
  return ["cur", "new"].flatMap((sub) =>
    existsSync(join(root, sub)) ? readdirSync(join(root, sub)).map((f) => `${sub}/${f}`) : [],
  );
}

const MULTIPART = [
  "From: Alice Example <alice@example.org>",
  "To: Bob <bob@example.net>, carol@example.net",
  "Cc: dave@example.net",
  "Subject: =?UTF-8?Q?Quarterly_r=C3=A9port?=",
  "Date: Thu, 02 Jan 2020 10:00:00 +0100",
  "Message-ID: <q1.2020@example.org>",
  "In-Reply-To: <q0.2019@example.org>",
  "MIME-Version: 1.0",
  'Content-Type: multipart/mixed; boundary="XYZ"',
  "",
  "--XYZ",
  "Content-Type: text/plain; charset=utf-8",
  "Content-Transfer-Encoding: 8bit",
  "",
  "The numbers are in the attachment. Zebra crossing.",
  "",
  "--XYZ",
  'Content-Type: application/octet-stream; name="numbers.bin"',
  'Content-Disposition: attachment; filename="numbers.bin"',
  "Content-Transfer-Encoding: base64",
  "",
  "AAECAwQFBgcICQ==",
  "--XYZ--",
  "",
].join("\r\n");

test("imapflow: LIST, CREATE, RENAME (with children), DELETE, STATUS", async () => {
  await withClient(async (c) => {
    const before = await c.list();
    assert.deepEqual(
      before.map((b) => b.path),
      ["INBOX"],
    );
    assert.equal(before[0].delimiter, ".");
    await c.mailboxCreate("INBOX.Work");
    await c.mailboxCreate("INBOX.Work.Sub");
    await c.mailboxCreate("INBOX.Trash");
    let paths = (await c.list()).map((b) => b.path).sort();
    assert.deepEqual(paths, ["INBOX", "INBOX.Trash", "INBOX.Work", "INBOX.Work.Sub"]);
    const renamed = await c.mailboxRename("INBOX.Work", "INBOX.Projects");
    assert.equal(renamed.newPath, "INBOX.Projects");
    paths = (await c.list()).map((b) => b.path).sort();
    assert.deepEqual(paths, ["INBOX", "INBOX.Projects", "INBOX.Projects.Sub", "INBOX.Trash"]);
    assert.ok(existsSync(join(info.maildir, ".Projects.Sub", "cur")), "a child is renamed on disk");
    assert.ok(!existsSync(join(info.maildir, ".Work")), "the old folder is gone");
    await c.mailboxDelete("INBOX.Projects.Sub");
    await assert.rejects(c.mailboxDelete("INBOX.Nonexistent"));
    paths = (await c.list()).map((b) => b.path).sort();
    assert.deepEqual(paths, ["INBOX", "INBOX.Projects", "INBOX.Trash"]);
    const st = await c.status("INBOX", { messages: true, uidNext: true, uidValidity: true, unseen: true });
    assert.ok(st);
    assert.equal(st.messages, 3);
    assert.equal(st.unseen, 3);
    assert.equal(st.uidNext, 4);
    // LSUB via imapflow's subscription helpers
    assert.ok(await c.mailboxSubscribe("INBOX.Projects"));
    const subscribed = (await c.list()).find((b) => b.path === "INBOX.Projects");
    assert.equal(subscribed?.subscribed, true);
  });
});

test("imapflow: APPEND with flags and date; FETCH envelope, bodystructure, source, partial", async () => {
  await withClient(async (c) => {
    const date = new Date("2020-01-02T09:00:00Z");
    const res = await c.append("INBOX", MULTIPART, ["\\Flagged", "$Label1"], date);
    assert.ok(res, "APPEND succeeded");
    await c.mailboxOpen("INBOX");
    const msg = await c.fetchOne(
      "*",
      {
        uid: true,
        envelope: true,
        bodyStructure: true,
        flags: true,
        internalDate: true,
        size: true,
        source: true,
      },
      {},
    );
    assert.ok(msg);
    assert.equal(msg.uid, 4);
    assert.equal(msg.source?.toString("latin1"), Buffer.from(MULTIPART).toString("latin1"));
    assert.equal(msg.size, Buffer.byteLength(MULTIPART));
    assert.equal((msg.internalDate as Date).getTime(), date.getTime(), "INTERNALDATE is the APPEND date");
    assert.ok(msg.flags?.has("\\Flagged") && msg.flags.has("$Label1"), `flags: ${[...(msg.flags ?? [])]}`);
    assert.ok(!msg.flags?.has("\\Seen"), "APPEND did not set \\Seen");
    const env = msg.envelope!;
    assert.equal(env.subject, "Quarterly réport");
    assert.equal(env.messageId, "<q1.2020@example.org>");
    assert.equal(env.inReplyTo, "<q0.2019@example.org>");
    assert.deepEqual(env.from, [{ name: "Alice Example", address: "alice@example.org" }]);
    assert.deepEqual(
      env.to?.map((a) => a.address),
      ["bob@example.net", "carol@example.net"],
    );
    assert.equal(env.cc?.[0].address, "dave@example.net");
    assert.equal(new Date(env.date ?? 0).toISOString(), "2020-01-02T09:00:00.000Z");
    const bs = msg.bodyStructure!;
    assert.equal(bs.type, "multipart/mixed");
    assert.equal(bs.parameters?.boundary, "XYZ");
    assert.deepEqual(
      bs.childNodes?.map((p) => [p.part, p.type, p.encoding]),
      [
        ["1", "text/plain", "8bit"],
        ["2", "application/octet-stream", "base64"],
      ],
    );
    assert.equal(bs.childNodes?.[1].disposition, "attachment");
    assert.equal(bs.childNodes?.[1].dispositionParameters?.filename, "numbers.bin");
    // partial BODY[]<start.length> and a part with its own range
    const part = await c.fetchOne("*", {
      source: { start: 6, maxLength: 13 },
      bodyParts: ["2", { key: "1", start: 4, maxLength: 7 }],
      headers: ["subject", "message-id"],
    });
    assert.ok(part);
    assert.equal(part.source?.toString(), "Alice Example");
    assert.equal(part.bodyParts?.get("2")?.toString(), "AAECAwQFBgcICQ==");
    assert.equal(part.bodyParts?.get("1")?.toString(), "numbers");
    assert.equal(
      part.headers?.toString(),
      "Subject: =?UTF-8?Q?Quarterly_r=C3=A9port?=\r\nMessage-ID: <q1.2020@example.org>\r\n\r\n",
    );
    // The full-source fetch (BODY.PEEK[]) left the message unseen.
    const flags = await c.fetchOne("*", { flags: true });
    assert.ok(flags && !flags.flags?.has("\\Seen"));
  });
  const stored = files("").filter((f) => /:2,F$/.test(f));
  assert.equal(stored.length, 1, `the appended file carries the F flag: ${files("")}`);
});

test("imapflow: SEARCH with several criteria", async () => {
  await withClient(async (c) => {
    await c.mailboxOpen("INBOX");
    const s = async (q: Parameters<ImapFlow["search"]>[0]) => (await c.search(q, { uid: true })) || [];
    assert.deepEqual(await s({ all: true }), [1, 2, 3, 4]);
    assert.deepEqual(await s({ subject: "réport" }), [4], "decoded RFC 2047 subject");
    assert.deepEqual(await s({ subject: "account" }), [2, 3]);
    assert.deepEqual(await s({ flagged: true }), [4]);
    assert.deepEqual(await s({ keyword: "$Label1" }), [4]);
    assert.deepEqual(await s({ unKeyword: "$Label1", seen: false }), [1, 2, 3]);
    assert.deepEqual(await s({ body: "zebra" }), [4]);
    assert.deepEqual(await s({ from: "alice@example.org" }), [4]);
    assert.deepEqual(await s({ header: { "message-id": "q1.2020" } }), [4]);
    assert.deepEqual(await s({ sentBefore: new Date("2021-01-01") }), [4]);
    assert.deepEqual(await s({ before: new Date("2021-01-01") }), [4], "internal date");
    assert.deepEqual(await s({ since: new Date("2021-01-01") }), [1, 2, 3]);
    assert.deepEqual(await s({ larger: 400 }), [4]);
    assert.deepEqual(await s({ smaller: 400, not: { subject: "Welcome" } }), [2, 3]);
    assert.deepEqual(await s({ or: [{ subject: "Welcome" }, { flagged: true }] }), [1, 4]);
    assert.deepEqual(await s({ uid: "2:3", text: "bin/userdb" }), [3]);
    assert.deepEqual(await s({ seq: "2:*" }), [2, 3, 4]);
  });
});

test("imapflow: STORE flags add/remove/set, seen by a second session and stored on disk", async () => {
  await withClient(async (c) => {
    await c.mailboxOpen("INBOX");
    assert.ok(await c.messageFlagsAdd("1:2", ["\\Seen", "\\Answered", "Custom1"], { uid: true }));
    assert.ok(await c.messageFlagsRemove("2", ["\\Answered"], { uid: true }));
    assert.ok(await c.messageFlagsSet("3", ["\\Draft"], { uid: true }));
    assert.ok(await c.messageFlagsRemove("4", ["$Label1"], { uid: true }));
    const other = imapflow();
    await other.connect();
    try {
      await other.mailboxOpen("INBOX", { readOnly: true });
      const got: Record<number, string[]> = {};
      for await (const m of other.fetch("1:*", { uid: true, flags: true }))
        got[m.uid] = [...(m.flags ?? [])].sort();
      assert.deepEqual(got, {
        1: ["Custom1", "\\Answered", "\\Seen"],
        2: ["Custom1", "\\Seen"],
        3: ["\\Draft"],
        4: ["\\Flagged"],
      });
    } finally {
      await other.logout();
    }
  });
  const names = files("")
    .map((f) => f.replace(/^.*:2,/, ""))
    .sort();
  assert.deepEqual(names, ["D", "F", "RS", "S"]);
});

test("imapflow: move via COPY + STORE \\Deleted + EXPUNGE loses nothing", async () => {
  await withClient(async (c) => {
    await c.mailboxOpen("INBOX");
    // imapflow's messageMove falls back to COPY+STORE+EXPUNGE when MOVE is not offered;
    // do that sequence explicitly too, so it is tested whatever the server advertises.
    const copied = await c.messageCopy("4", "INBOX.Projects", { uid: true });
    assert.ok(copied, "COPY succeeded");
    assert.equal(copied.destination, "INBOX.Projects");
    assert.ok(await c.messageDelete("4", { uid: true }));
    const moved = await c.messageMove("1", "INBOX.Trash", { uid: true });
    assert.ok(moved, "move succeeded");
    const left = [];
    for await (const m of c.fetch("1:*", { uid: true })) left.push(m.uid);
    assert.deepEqual(left, [2, 3]);
    const projects = await c.mailboxOpen("INBOX.Projects");
    assert.equal(projects.exists, 1);
    const m = await c.fetchOne("1", { envelope: true, flags: true, internalDate: true });
    assert.ok(m);
    assert.equal(m.envelope?.subject, "Quarterly réport");
    assert.deepEqual([...(m.flags ?? [])], ["\\Flagged"], "COPY keeps the flags");
    assert.equal((m.internalDate as Date).toISOString(), "2020-01-02T09:00:00.000Z", "and the date");
    const trash = await c.status("INBOX.Trash", { messages: true });
    assert.ok(trash);
    assert.equal(trash.messages, 1);
  });
  assert.equal(files("").length, 2);
  assert.equal(files(".Projects").length, 1);
  assert.equal(files(".Trash").length, 1);
});

test("python3 imaplib: folders, literal APPEND, UID SEARCH/FETCH/STORE/COPY, EXPUNGE", () => {
  const script = String.raw`
import imaplib, json, sys, time
out = {}
m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
m.login(sys.argv[2], sys.argv[3])
ok = lambda r: (r[0], [x.decode() if isinstance(x, bytes) else x for x in r[1]])
out["create"] = ok(m.create("INBOX.Py"))[0]
out["create2"] = ok(m.create("INBOX.Py.Old"))[0]
out["rename"] = ok(m.rename("INBOX.Py.Old", "INBOX.Py.Archive"))[0]
out["list"] = ok(m.list('""', "INBOX.Py*"))[1]
out["subscribe"] = ok(m.subscribe("INBOX.Py"))[0]
out["lsub"] = ok(m.lsub('""', "INBOX.P%"))[1]
msg = b"From: py@example.org\r\nSubject: From python\r\nMessage-ID: <py1@example.org>\r\n\r\nHello from imaplib, a literal.\r\n"
date = imaplib.Time2Internaldate(time.mktime((2021, 6, 5, 4, 3, 2, 0, 0, -1)))
out["append"] = ok(m.append("INBOX.Py", r"(\Seen $Py)", date, msg))
typ, data = m.select("INBOX.Py")
out["exists"] = data[0].decode()
out["search"] = ok(m.uid("SEARCH", None, "SUBJECT", '"From python"', "KEYWORD", "$Py"))[1]
t, d = m.uid("FETCH", "1", "(UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)] BODY.PEEK[TEXT])")
out["fetch_meta"] = d[0][0].decode()
out["fetch_hdr"] = d[0][1].decode()
out["fetch_text"] = d[1][1].decode() if isinstance(d[1], tuple) else d[2][1].decode()
out["size"] = len(msg)
out["store"] = ok(m.uid("STORE", "1", "+FLAGS", r"(\Flagged)"))[1]
out["store_silent"] = ok(m.uid("STORE", "1", "-FLAGS.SILENT", r"(\Seen)"))[1]
out["copy"] = ok(m.uid("COPY", "1", "INBOX.Py.Archive"))[0]
out["copy_bad"] = ok(m.uid("COPY", "1", "INBOX.NoSuch"))
out["delete_flag"] = ok(m.store("1", "+FLAGS.SILENT", r"(\Deleted)"))[0]
out["expunge"] = ok(m.expunge())[1]
out["status"] = ok(m.status("INBOX.Py.Archive", "(MESSAGES UIDNEXT UNSEEN)"))[1]
m.select("INBOX.Py.Archive", readonly=True)
t, d = m.fetch("1", "(FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
out["copied"] = [d[0][0].decode(), d[0][1].decode()]
out["close"] = ok(m.close())[0]
out["delete"] = ok(m.delete("INBOX.Py.Archive"))[0]
out["logout"] = m.logout()[0]
print(json.dumps(out))
`;
  const r = spawnSync("python3", ["-c", script, String(info.imap), info.user, info.password], {
    encoding: "utf8",
    timeout: 30000,
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.create, "OK");
  assert.equal(out.create2, "OK");
  assert.equal(out.rename, "OK");
  assert.deepEqual(out.list.sort(), [
    '(\\HasChildren) "." "INBOX.Py"',
    '(\\HasNoChildren) "." "INBOX.Py.Archive"',
  ]);
  assert.equal(out.subscribe, "OK");
  assert.deepEqual(out.lsub.sort(), ['() "." "INBOX.Projects"', '() "." "INBOX.Py"']);
  assert.equal(out.append[0], "OK");
  assert.equal(out.exists, "1");
  assert.deepEqual(out.search, ["1"]);
  assert.match(out.fetch_meta, /UID 1\b/);
  assert.match(out.fetch_meta, /FLAGS \((\\Seen \$Py|\$Py \\Seen)\)/);
  // date-day-fixed: a space-padded day (RFC 3501 §9)
  assert.match(out.fetch_meta, /INTERNALDATE " 5-Jun-2021 04:03:02 [+-]\d{4}"/);
  assert.match(out.fetch_meta, new RegExp(`RFC822\\.SIZE ${out.size}\\b`));
  assert.equal(out.fetch_hdr, "Subject: From python\r\n\r\n");
  assert.equal(out.fetch_text, "Hello from imaplib, a literal.\r\n");
  assert.match(out.store[0], /^1 \(FLAGS \(.*\\Flagged.*\) UID 1\)$|^1 \(UID 1 FLAGS \(.*\\Flagged.*\)\)$/);
  assert.equal(out.copy, "OK");
  assert.equal(out.copy_bad[0], "NO");
  assert.match(out.copy_bad[1][0], /TRYCREATE/);
  assert.deepEqual(out.expunge, ["1"]);
  assert.match(out.status[0], /^"?INBOX\.Py\.Archive"? \(MESSAGES 1 UIDNEXT 2 UNSEEN 1\)$/);
  assert.match(out.copied[0], /FLAGS \((\$Py \\Flagged|\\Flagged \$Py)\)/);
  assert.equal(out.copied[1], "Message-ID: <py1@example.org>\r\n\r\n");
  assert.equal(out.close, "OK");
  assert.equal(out.delete, "OK");
  assert.equal(out.logout, "BYE");
  assert.equal(files(".Py").length, 0, "expunged on disk");
  assert.ok(!existsSync(join(info.maildir, ".Py.Archive")));
});

function curl(path: string, extra: string[] = []) {
  const url = `imap://${encodeURIComponent(info.user)}:${encodeURIComponent(info.password)}@127.0.0.1:${info.imap}/${path}`;
  const r = spawnSync("curl", ["-sS", "--max-time", "20", ...extra, url], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test("curl: lists folders, fetches by UID and SEARCHes", () => {
  deliver(info.maildir, info.user, "Curl target", "Fetched by curl.");
  const list = curl("");
  const names = [...list.matchAll(/^\* LIST \([^)]*\) "\." "?([^"\r]*)"?\r$/gm)].map((m) => m[1]).sort();
  assert.deepEqual(names, ["INBOX", "INBOX.Projects", "INBOX.Trash", "INBOX.Py"].sort());
  const search = curl("INBOX", ["-X", "SEARCH SUBJECT curl"]);
  assert.match(search, /^\* SEARCH 3\r$/m);
  const uidSearch = curl("INBOX", ["-X", "UID SEARCH SUBJECT curl"]);
  assert.match(uidSearch, /^\* SEARCH 5\r$/m);
  const body = curl("INBOX;UID=5");
  assert.match(body, /^Subject: Curl target\r?$/m);
  assert.match(body, /Fetched by curl\./);
  const section = curl("INBOX;UID=5;SECTION=HEADER.FIELDS%20(SUBJECT)");
  assert.equal(section.trim(), "Subject: Curl target");
  const none = spawnSync(
    "curl",
    [
      "-sS",
      "--max-time",
      "20",
      `imap://${encodeURIComponent(info.user)}:${encodeURIComponent(info.password)}@127.0.0.1:${info.imap}/INBOX;UID=99`,
    ],
    { encoding: "utf8" },
  );
  assert.notEqual(none.status, 0, "a missing UID is an error for curl");
});

test("imapflow: over-quota APPEND and COPY are refused with [OVERQUOTA]; nothing lost", async () => {
  const quotaFile = join(info.maildir, "maildirsize");
  // a quota as large as the mail already there: the next message is over it (Maildir++
  // does not count Trash, so the test uses INBOX and INBOX.Projects)
  const counted = [
    ...files("").map((f) => join(info.maildir, f)),
    ...files(".Projects").map((f) => join(info.maildir, ".Projects", f)),
  ];
  const bytes = counted.reduce((n, f) => n + statSync(f).size, 0);
  writeFileSync(
    quotaFile,
    `${counted.length}C\n${String(bytes).padStart(12)} ${String(counted.length).padStart(12)}\n`,
  );
  const before = ["", ".Projects", ".Trash"].map(files);
  try {
    await withClient(async (c) => {
      const refused = async (p: Promise<unknown>) => {
        try {
          const r = await p;
          return r === false ? "false" : `accepted: ${JSON.stringify(r)}`;
        } catch (e) {
          return String((e as { serverResponseCode?: string }).serverResponseCode ?? e);
        }
      };
      assert.equal(await refused(c.append("INBOX.Projects", "Subject: over\r\n\r\nquota\r\n")), "OVERQUOTA");
      await c.mailboxOpen("INBOX");
      assert.match(await refused(c.messageCopy("1:*", "INBOX.Projects")), /^(OVERQUOTA|false)$/);
      assert.match(await refused(c.messageMove("1", "INBOX.Projects")), /^(OVERQUOTA|false)$/);
      assert.equal((c.mailbox || undefined)?.exists, before[0].length, "a failed move expunged nothing");
    });
  } finally {
    rmSync(quotaFile, { force: true });
  }
  assert.deepEqual(["", ".Projects", ".Trash"].map(files), before, "no file added or removed");
});
