// CAPABILITY rule 5 (STARTTLS, LOGINDISABLED, AUTH=EXTERNAL) and IMAP_TLS_REQUIRED on a
// plain connection; the TLS handshakes themselves are in test/src/tls-sasl.test.ts.

import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { makeWorld, spawnImapd } from "./harness.js";

const TAIL =
  " Courier-IMAP ready. Copyright 1998-2022 S. Varshavchik.  See COPYING for distribution information.\r\n";

test("STARTTLS with IMAP_TLS_REQUIRED: LOGINDISABLED, and logins wait for TLS", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  const cert = join(w.dir, "imapd.pem");
  writeFileSync(cert, "");
  const c = spawnImapd(w, {
    IMAP_CAPABILITY: "IMAP4rev1",
    IMAP_STARTTLS: "YES",
    IMAP_TLS_REQUIRED: "1",
    TLS_CERTFILE: cert,
  });
  assert.equal(
    await c.line(),
    `* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED ENABLE UTF8=ACCEPT]${TAIL}`,
  );
  assert.equal(await c.cmd("a1", "LOGIN joe secret"), "a1 NO STARTTLS required\r\n");
  assert.equal(await c.cmd("a2", "AUTHENTICATE PLAIN"), "a2 NO STARTTLS required\r\n");
  assert.deepEqual(w.authRequests, [], "nothing reached authdaemond");
  c.send("a3 LOGOUT\r\n");
  await c.closed();
});

test("without a readable TLS_CERTFILE there is no STARTTLS, and logins are allowed", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  const c = spawnImapd(w, {
    IMAP_CAPABILITY: "IMAP4rev1",
    IMAP_STARTTLS: "YES",
    IMAP_TLS_REQUIRED: "1",
    TLS_CERTFILE: join(w.dir, "missing.pem"),
  });
  assert.equal(await c.line(), `* OK [CAPABILITY IMAP4rev1 ENABLE UTF8=ACCEPT]${TAIL}`);
  assert.equal(await c.cmd("a1", "STARTTLS"), "a1 BAD Error in IMAP command: STARTTLS is not available.\r\n");
  assert.equal(await c.cmd("a2", "LOGIN joe secret"), "a2 OK LOGIN Ok.\r\n");
  c.send("a3 LOGOUT\r\n");
  await c.closed();
});

test("IMAP_TLS=1 uses IMAP_CAPABILITY_TLS; AUTH=EXTERNAL only with a certificate identity", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  const env = {
    IMAP_CAPABILITY: "IMAP4rev1",
    IMAP_CAPABILITY_TLS: "IMAP4rev1 AUTH=PLAIN",
    IMAP_TLS: "1",
    TLS_EXTERNAL: "emailaddress",
  };
  // IMAP_TLS=1 makes imapd do the handshake itself, so this checks CAPABILITY directly.
  const { capabilityString } = await import("../src/session/capability.js");
  assert.equal(capabilityString(env), "IMAP4rev1 AUTH=PLAIN ENABLE UTF8=ACCEPT");
  assert.equal(
    capabilityString({ ...env, TLS_SUBJECT_EMAILADDRESS: "joe@example.com" }),
    "IMAP4rev1 AUTH=PLAIN AUTH=EXTERNAL ENABLE UTF8=ACCEPT",
  );
  const c = spawnImapd(w, { ...env, TLS_CERTFILE: join(w.dir, "missing.pem") });
  assert.equal(await c.closed(), "", "no greeting without a certificate");
  assert.match(c.stderr, /^ERR: TLS_CERTFILE: cannot read .*missing\.pem: ENOENT$/m);
});
