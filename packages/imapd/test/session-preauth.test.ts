// Golden transcripts of the not-authenticated state against a real imapd child process.

import assert from "node:assert/strict";
import { test } from "node:test";
import { GREETING, makeWorld, spawnImapd } from "./harness.js";

test("greeting, CAPABILITY, NOOP, LOGOUT before login and the pre-login log line", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  const c = spawnImapd(w);
  assert.equal(await c.line(), GREETING);
  assert.equal(
    await c.cmd("a1", "capability"),
    "* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR AUTH=PLAIN ENABLE UTF8=ACCEPT\r\na1 OK CAPABILITY completed\r\n",
  );
  assert.equal(await c.cmd("a2", "NOOP"), "a2 OK NOOP completed\r\n");
  assert.equal(
    await c.cmd("a3", "LOGOUT"),
    "* BYE Courier-IMAP server shutting down\r\na3 OK LOGOUT completed\r\n",
  );
  assert.equal(await c.closed(), "");
  assert.equal(await c.exited, 0);
  assert.match(c.stderr, /^INFO: LOGOUT, ip=\[192\.0\.2\.7\], port=\[40123\], rcvd=\d+, sent=\d+\n$/);
});

test("IMAP_CAPABILITY and the §4.1 additions", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  const c = spawnImapd(w, {
    IMAP_CAPABILITY: "IMAP4rev1 UIDPLUS  IDLE",
    IMAP_ACL: "1",
    IMAP_ID_FIELDS: "0",
    OUTBOX: ".Outbox",
    IMAP_MOVE_EXPUNGE_TO_TRASH: "1",
  });
  assert.equal(
    await c.line(),
    "* OK [CAPABILITY IMAP4rev1 UIDPLUS IDLE ACL ACL2=UNION ID XCOURIEROUTBOX=INBOX.Outbox XMAGICTRASH " +
      "ENABLE UTF8=ACCEPT] Courier-IMAP ready. Copyright 1998-2022 S. Varshavchik.  See COPYING for distribution information.\r\n",
  );
  c.send("x LOGOUT\r\n");
  await c.closed();
});

test("LOGIN: failure after the delay, then success; log lines; state rules", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  const c = spawnImapd(w);
  await c.line();
  assert.equal(await c.cmd("a0", "SELECT INBOX"), "a0 BAD Please log in first.\r\n");
  const t0 = Date.now();
  assert.equal(await c.cmd("a1", 'LOGIN joe "wrong"'), "a1 NO Login failed.\r\n");
  assert.ok(Date.now() - t0 >= 90, "the failure waited IMAP_LOGIN_FAIL_DELAY");
  assert.equal(await c.cmd("a2", 'LOGIN "joe" "secret"'), "a2 OK LOGIN Ok.\r\n");
  assert.equal(await c.cmd("a3", "LOGIN joe secret"), "a3 BAD Already logged in.\r\n");
  assert.equal(await c.cmd("a4", "FETCH 1 FLAGS"), "a4 BAD No mailbox selected.\r\n");
  assert.equal(
    await c.cmd("a5", "LOGOUT"),
    "* BYE Courier-IMAP server shutting down\r\na5 OK LOGOUT completed\r\n",
  );
  await c.closed();
  const lines = c.stderr.trimEnd().split("\n");
  assert.equal(lines[0], "INFO: LOGIN FAILED, user=joe, ip=[192.0.2.7], port=[40123]");
  assert.equal(lines[1], "INFO: LOGIN, user=joe, ip=[192.0.2.7], port=[40123], protocol=IMAP");
  assert.match(
    lines[2],
    /^INFO: LOGOUT, user=joe, ip=\[192\.0\.2\.7\], port=\[40123\], headers=0, body=0, rcvd=\d+, sent=\d+, time=\d+$/,
  );
  assert.equal(lines.length, 3);
  assert.deepEqual(w.authRequests, ["imap joe 192.0.2.7", "imap joe 192.0.2.7"]);
});

test("LOGIN with literals (synchronising and LITERAL+) and AUTHSERVICE<port>", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  const c = spawnImapd(w, { AUTHSERVICE143: "imapx" });
  await c.line();
  c.send("a1 LOGIN {3}\r\n");
  assert.equal(await c.line(), "+ OK\r\n");
  c.send("joe {6+}\r\nsecret\r\n");
  assert.equal(await c.until("a1"), "a1 OK LOGIN Ok.\r\n");
  c.send("a2 LOGOUT\r\n");
  await c.closed();
  assert.deepEqual(w.authRequests, ["imapx joe 192.0.2.7"]);
});

test("AUTHENTICATE PLAIN with SASL-IR and with a continuation", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  const plain = (s: string) => Buffer.from(s).toString("base64");
  const c = spawnImapd(w);
  await c.line();
  assert.equal(await c.cmd("a1", `AUTHENTICATE PLAIN ${plain("\0joe\0bad")}`), "a1 NO Login failed.\r\n");
  c.send("a2 AUTHENTICATE PLAIN\r\n");
  assert.equal(await c.line(), "+ \r\n");
  c.send("*\r\n");
  assert.equal(await c.until("a2"), "a2 BAD Error in IMAP command: AUTHENTICATE cancelled.\r\n");
  c.send("a3 authenticate plain\r\n");
  assert.equal(await c.line(), "+ \r\n");
  c.send(`${plain("joe\0joe\0secret")}\r\n`);
  assert.equal(await c.until("a3"), "a3 OK LOGIN Ok.\r\n");
  c.send("a4 LOGOUT\r\n");
  await c.closed();
  assert.match(c.stderr, /^INFO: LOGIN FAILED, user=joe, ip=\[192\.0\.2\.7\], port=\[40123\]\n/);
});

test("bad commands get BAD and the session goes on; overlong input is refused cleanly", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  const c = spawnImapd(w);
  await c.line();
  assert.equal(await c.cmd("a1", "FROBNICATE"), "a1 BAD Unknown command.\r\n");
  c.send("noTagOnly\r\n");
  assert.equal(await c.line(), "noTagOnly BAD Error in IMAP command: missing command.\r\n");
  assert.equal(
    await c.cmd("a2", "LOGIN joe"),
    "a2 BAD Error in IMAP command: wrong number of arguments.\r\n",
  );
  assert.equal(
    await c.cmd("a3", 'LOGIN "joe secret'),
    "a3 BAD Error in IMAP command: unterminated quoted string.\r\n",
  );
  assert.equal(
    await c.cmd("a4", "CAPABILITY extra"),
    "a4 BAD Error in IMAP command: wrong number of arguments.\r\n",
  );
  c.send(`a5 LOGIN ${"x".repeat(20000)} y\r\n`);
  assert.equal(await c.line(), "a5 BAD Error in IMAP command: Command line too long.\r\n");
  c.send("a6 LOGIN {999999}\r\n");
  assert.equal(await c.line(), "a6 BAD Error in IMAP command: Literal too large.\r\n");
  c.send(`a7 LOGIN {70000+}\r\n${"z".repeat(70000)} {3+}\r\nabc\r\n`);
  assert.equal(await c.line(), "a7 BAD Error in IMAP command: Literal too large.\r\n");
  assert.equal(await c.cmd("a8", "NOOP"), "a8 OK NOOP completed\r\n");
  c.send("a9 LOGOUT\r\n");
  await c.closed();
});

test("the user name is sanitised in log lines; client disconnect is logged", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  const c = spawnImapd(w);
  await c.line();
  c.send("a1 LOGIN {6}\r\n");
  await c.line();
  c.send("jo\x1be\x7fx pw\r\n");
  assert.equal(await c.until("a1"), "a1 NO Login failed.\r\n");
  assert.equal(await c.cmd("a2", "LOGIN joe secret"), "a2 OK LOGIN Ok.\r\n");
  c.proc.stdin.end();
  assert.equal(await c.exited, 0);
  const lines = c.stderr.trimEnd().split("\n");
  assert.equal(lines[0], "INFO: LOGIN FAILED, user=jo.e.x, ip=[192.0.2.7], port=[40123]");
  assert.match(
    lines[2],
    /^INFO: DISCONNECTED, user=joe, ip=\[192\.0\.2\.7\], port=\[40123\], headers=0, body=0, /,
  );
});

test("disableimap=1 gets BYE; a dead authdaemon is a temporary problem", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  const c = spawnImapd(w);
  await c.line();
  c.send("a1 LOGIN off secret\r\n");
  assert.equal(await c.closed(), "* BYE IMAP access disabled for this account.\r\n");
  const d = spawnImapd(w, { AUTHDAEMONSOCKET: `${w.dir}/nothing-here` });
  await d.line();
  d.send("a1 LOGIN joe secret\r\n");
  assert.equal(await d.closed(), "* BYE Temporary problem, please try again later\r\n");
  assert.equal(await d.exited, 0);
});
