// Courier's timers, made configurable: a total limit on the not-authenticated phase
// (IMAP_PREAUTH_TIMEOUT) and the inactivity autologout after login (IMAP_AUTOLOGOUT).

import assert from "node:assert/strict";
import { test } from "node:test";
import { GREETING, loggedIn, makeWorld, spawnImapd } from "./harness.js";

const BYE = "* BYE Disconnected for inactivity.\r\n";

test("IMAP_PREAUTH_TIMEOUT limits the whole pre-login phase, not just inactivity", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  const c = spawnImapd(w, { IMAP_PREAUTH_TIMEOUT: "1" });
  let gone = false;
  c.proc.stdout.on("end", () => {
    gone = true;
  });
  c.proc.stdin.on("error", () => {});
  const t0 = Date.now();
  assert.equal(await c.line(), GREETING);
  // A busy client: a NOOP every 200 ms keeps it active, yet the limit still ends it.
  let replies = 0;
  while (Date.now() - t0 < 3000) {
    await new Promise((r) => setTimeout(r, 200));
    if (gone) break;
    c.send(`n${replies} NOOP\r\n`);
    replies++;
  }
  const out = await c.closed();
  const elapsed = Date.now() - t0;
  assert.ok(elapsed >= 900 && elapsed < 2500, `disconnected after ~1 s, not ${elapsed} ms`);
  assert.ok(out.endsWith(BYE), `ends with the BYE: ${JSON.stringify(out)}`);
  assert.ok(replies >= 3, "the client was active meanwhile");
  // Courier logs a pre-login end as a DEBUG "Disconnected" line (log.ts)
  assert.match(c.stderr, /DEBUG: Disconnected, ip=\[192\.0\.2\.7\], port=\[40123\], time=1\n/);
});

test("after LOGIN the pre-login limit no longer applies; IMAP_AUTOLOGOUT does", async (t) => {
  const w = await makeWorld();
  t.after(w.cleanup);
  const c = await loggedIn(w, { IMAP_PREAUTH_TIMEOUT: "0.5", IMAP_AUTOLOGOUT: "1.5" });
  const t0 = Date.now();
  // Active past the pre-login limit: still served.
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await c.cmd(`a${i}`, "NOOP"), `a${i} OK NOOP completed\r\n`);
  }
  assert.ok(Date.now() - t0 > 1000, "kept past IMAP_PREAUTH_TIMEOUT");
  // Then idle: logged out after IMAP_AUTOLOGOUT seconds of inactivity.
  const idle0 = Date.now();
  assert.equal(await c.closed(), BYE);
  const idle = Date.now() - idle0;
  assert.ok(idle >= 1300 && idle < 3500, `autologout after ~1.5 s idle, not ${idle} ms`);
  assert.match(c.stderr, /INFO: TIMEOUT, user=joe, ip=\[192\.0\.2\.7\]/);
});

test("the default limits are Courier's: 60 s pre-login, 30 minutes after", async () => {
  const { readSettings } = await import("../src/session/settings.js");
  const s = readSettings([], {});
  assert.equal(s.preauthTimeoutMs, 60_000);
  assert.equal(s.idleTimeoutMs, 1_800_000);
  const t = readSettings([], { IMAP_PREAUTH_TIMEOUT: "5", IMAP_AUTOLOGOUT: "0" });
  assert.equal(t.preauthTimeoutMs, 5000);
  assert.equal(t.idleTimeoutMs, 1_800_000, "0 or junk keeps the default");
});
