// End to end with mbsync (Debian `isync`, issue 6): a full two-way sync of a 1,000-message
// mailbox with folders between our server and mbsync's own MaildirStore; a second run
// changes nothing; then a flag changed on each side propagates to the other.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ImapFlow } from "imapflow";
import {
  createInstance,
  type InstanceInfo,
  makeMaildir,
  type Running,
  startInstance,
} from "./lib/instance.js";
import { freePort } from "./lib/net.js";

const haveMbsync = spawnSync("mbsync", ["--version"]).status === 0;

let dir: string;
let info: InstanceInfo;
let server: Running;
let local: string;
let rc: string;

/** Server folders (Maildir++ directory) and how many messages each gets: 1,000 in all. */
const FOLDERS: [dir: string, count: number][] = [
  ["", 600],
  [".Archive", 250],
  [".Lists", 50],
  [".Lists.Dev", 100],
];

/** Writes the messages straight into cur/, deterministically: same content and names every run. */
function generate(): void {
  let n = 0;
  for (const [folder, count] of FOLDERS) {
    const path = join(info.maildir, folder);
    makeMaildir(path);
    if (folder) writeFileSync(join(path, "maildirfolder"), "");
    for (let i = 1; i <= count; i++, n++) {
      const date = new Date(Date.UTC(2024, 0, 1) + n * 3_600_000);
      const text =
        `From: Sender ${n % 17} <sender${n % 17}@example.org>\n` +
        `To: <${info.user}>\n` +
        `Subject: Message ${n} in ${folder || "INBOX"}\n` +
        `Date: ${date.toUTCString().replace("GMT", "+0000")}\n` +
        `Message-ID: <gen.${n}@example.org>\n\n` +
        `Body of message ${n}.\n${"line of text\n".repeat(n % 20)}`;
      const flags = `${n % 11 === 0 ? "F" : ""}${n % 3 === 0 ? "S" : ""}`;
      const name = `${1704067200 + n}.M${n}P1.gen,S=${Buffer.byteLength(text)}:2,${flags}`;
      const file = join(path, "cur", name);
      writeFileSync(file, text);
      utimesSync(file, date, date);
    }
  }
}

before(async () => {
  if (!haveMbsync) return;
  dir = mkdtempSync(join(tmpdir(), "courier-mbsync-"));
  info = createInstance({
    dir,
    imapPort: await freePort(),
    imapsPort: await freePort(),
    certBits: 2048,
    imapd: { IMAP_LOGIN_FAIL_DELAY: "0" },
  });
  // the demo's three messages go; the generated ones replace them
  for (const sub of ["new", "cur"]) rmSync(join(info.maildir, sub), { recursive: true, force: true });
  generate();
  server = await startInstance(info);
  local = join(dir, "local");
  mkdirSync(local);
  rc = join(dir, "mbsyncrc");
  writeFileSync(
    rc,
    [
      "IMAPAccount ours",
      "Host 127.0.0.1",
      `Port ${info.imap}`,
      `User ${info.user}`,
      `Pass ${info.password}`,
      "SSLType None",
      "AuthMechs LOGIN",
      "PipelineDepth 50",
      "",
      "IMAPStore remote",
      "Account ours",
      "Path INBOX.",
      "",
      "MaildirStore local",
      `Path ${local}/`,
      `Inbox ${local}/INBOX`,
      "SubFolders Verbatim",
      "",
      "Channel sync",
      "Far :remote:",
      "Near :local:",
      "Patterns *",
      "Create Both",
      "Expunge Both",
      "SyncState *",
      "Sync All",
      "",
    ].join("\n"),
  );
});

after(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Counters {
  /** far side: added, flag-updated, trashed; near side the same */
  far: [number, number, number];
  near: [number, number, number];
}

/** Runs mbsync on a pseudo-terminal (it prints its progress counters only there). */
function mbsync(): Counters {
  const r = spawnSync("script", ["-qfec", `mbsync -c ${rc} -a`, "/dev/null"], {
    encoding: "utf8",
    timeout: 50_000,
  });
  assert.equal(r.status, 0, `mbsync failed:\n${r.stdout}\n${r.stderr}\n${server.log().slice(-3000)}`);
  const all = [
    ...r.stdout.matchAll(
      /C: \d+\/\d+ +B: \d+\/\d+ +F: \+(\d+)\/\d+ \*(\d+)\/\d+ #(\d+)\/\d+(?: -\d+\/\d+)? +N: \+(\d+)\/\d+ \*(\d+)\/\d+ #(\d+)\/\d+/g,
    ),
  ];
  assert.ok(all.length > 0, `no progress counters in ${JSON.stringify(r.stdout)}`);
  const m = all[all.length - 1].slice(1).map(Number);
  return { far: [m[0], m[1], m[2]], near: [m[3], m[4], m[5]] };
}

/** Every message file under a maildir tree (path relative to it), with the maildir flags in the name. */
function snapshot(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else if (/\/(cur|new)\/$/.test(`/${rel}`)) out.push(`${rel}${e.name}`);
    }
  };
  walk(root, "");
  return out.sort();
}

/** Local message files by their Message-ID number, from mbsync's Maildir. */
function localFile(n: number): string {
  const hits = snapshot(local).filter((f) =>
    readFileSync(join(local, f), "latin1").includes(`Message-ID: <gen.${n}@example.org>`),
  );
  assert.equal(hits.length, 1, `one local copy of message ${n}: ${hits}`);
  return hits[0];
}

test("mbsync: full two-way sync of 1,000 messages in folders, idempotent, flags both ways", {
  skip: haveMbsync ? false : "mbsync (isync) is not installed",
}, async () => {
  const t0 = Date.now();
  const first = mbsync();
  assert.deepEqual(first.far, [0, 0, 0], "nothing was pushed to the server");
  assert.equal(first.near[0], 1000, "all 1,000 messages were pulled");
  const localFiles = snapshot(local);
  assert.equal(localFiles.length, 1000);
  const per = (prefix: string) => localFiles.filter((f) => f.startsWith(prefix)).length;
  assert.equal(per("INBOX/cur/") + per("INBOX/new/"), 600);
  assert.equal(per("Archive/"), 250);
  assert.equal(per("Lists/Dev/"), 100);
  assert.equal(per("Lists/cur/") + per("Lists/new/"), 50);
  // flags came across: message 33 was \Seen \Flagged on the server (33 % 11, 33 % 3)
  assert.match(localFile(33), /:2,FS$/);
  assert.match(localFile(34), /:2,$/);
  const content = readFileSync(join(local, localFile(700)), "utf8");
  assert.match(content, /^Subject: Message 700 in \.Archive$/m);
  const serverBefore = snapshot(info.maildir);
  const localBefore = snapshot(local);

  // second run: nothing to do on either side
  const second = mbsync();
  assert.deepEqual(second, { far: [0, 0, 0], near: [0, 0, 0] }, "the second run changed nothing");
  assert.deepEqual(snapshot(local), localBefore, "no local file added, removed or renamed");
  assert.deepEqual(snapshot(info.maildir), serverBefore, "no server file added, removed or renamed");

  // a flag changed on each side
  const l = localFile(34);
  renameSync(join(local, l), join(local, l.replace(/:2,$/, ":2,F")));
  const c = new ImapFlow({
    host: "127.0.0.1",
    port: info.imap,
    secure: false,
    doSTARTTLS: false,
    auth: { user: info.user, pass: info.password },
    logger: false,
  });
  await c.connect();
  try {
    await c.mailboxOpen("INBOX.Archive");
    const [seq] = (await c.search({ header: { "message-id": "<gen.700@example.org>" } })) || [];
    assert.ok(seq, "message 700 is in INBOX.Archive");
    await c.messageFlagsAdd(String(seq), ["\\Seen", "\\Answered"]);
  } finally {
    await c.logout();
  }
  const third = mbsync();
  assert.deepEqual(third, { far: [0, 1, 0], near: [0, 1, 0] }, "one flag update each way");
  assert.match(localFile(700), /:2,RS$/, "the server's flags reached the local copy");
  const c2 = new ImapFlow({
    host: "127.0.0.1",
    port: info.imap,
    secure: false,
    doSTARTTLS: false,
    auth: { user: info.user, pass: info.password },
    logger: false,
  });
  await c2.connect();
  try {
    await c2.mailboxOpen("INBOX");
    const [seq] = (await c2.search({ header: { "message-id": "<gen.34@example.org>" } })) || [];
    const m = await c2.fetchOne(String(seq), { flags: true });
    assert.ok(m);
    assert.deepEqual([...(m.flags ?? [])], ["\\Flagged"], "the local flag reached the server");
  } finally {
    await c2.logout();
  }
  // and a fourth run is quiet again
  assert.deepEqual(mbsync(), { far: [0, 0, 0], near: [0, 0, 0] });
  assert.equal(snapshot(info.maildir).length, 1000, "no message lost or duplicated on the server");
  assert.ok(existsSync(join(info.maildir, ".Lists.Dev", "cur")));
  assert.ok(Date.now() - t0 < 60_000, `took ${Date.now() - t0} ms`);
});
