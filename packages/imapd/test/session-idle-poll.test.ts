// IDLE where inotify is unavailable (IMAP_IDLE_INOTIFY=0 stands for the per-user instance
// limit): with IMAP_IDLE_TIMEOUT at Courier's 60 s, a delivery and another session's STORE
// still arrive within about IMAP_IDLE_POLL_MS (1 s), the stat poll; with 0, not before the
// rescan. Bounds are generous: they tell 1 s from 60 s.

import assert from "node:assert/strict";
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { type Client, loggedIn, makeWorld, putMessage, type World } from "./harness.js";

function drop(w: World, name: string): void {
  writeFileSync(join(w.maildir, "tmp", name), "Subject: dropped\n\nx\n");
  renameSync(join(w.maildir, "tmp", name), join(w.maildir, "new", name));
}

async function timed(c: Client): Promise<{ line: string; ms: number }> {
  const t0 = performance.now();
  const line = await c.line();
  return { line, ms: performance.now() - t0 };
}

async function idling(t: { after: (f: () => Promise<void>) => void }, env: Record<string, string>) {
  const w = await makeWorld();
  t.after(w.cleanup);
  putMessage(w, "cur", "1700000000.M1P1.host:2,S", "Subject: a\n\nx\n", 1700000000);
  const c = await loggedIn(w, { IMAP_IDLE_INOTIFY: "0", IMAP_IDLE_TIMEOUT: "60", ...env });
  await c.cmd("s", "SELECT INBOX");
  c.send("i IDLE\r\n");
  assert.equal(await c.line(), "+ entering idle mode\r\n");
  return { w, c };
}

test("IDLE without inotify: changes arrive within ~IMAP_IDLE_POLL_MS, not IMAP_IDLE_TIMEOUT", async (t) => {
  const { w, c } = await idling(t, {});
  drop(w, "1700000100.M2P1.mta");
  const exists = await timed(c);
  assert.equal(exists.line, "* 2 EXISTS\r\n");
  assert.ok(exists.ms < 2500, `EXISTS after ${exists.ms.toFixed(0)} ms`);
  assert.match(await c.line(), /^\* \d RECENT\r\n$/);
  const d = await loggedIn(w);
  await d.cmd("s", "SELECT INBOX");
  await d.cmd("st", "STORE 1 +FLAGS.SILENT (\\Flagged)");
  const fetch = await timed(c);
  assert.equal(fetch.line, "* 1 FETCH (FLAGS (\\Flagged \\Seen \\Recent))\r\n");
  assert.ok(fetch.ms < 2500, `FETCH after ${fetch.ms.toFixed(0)} ms`);
  c.send("DONE\r\n");
  assert.equal(await c.until("i"), "i OK IDLE completed\r\n");
});

test("IDLE without inotify and IMAP_IDLE_POLL_MS=0: only the IMAP_IDLE_TIMEOUT rescan", async (t) => {
  const { w, c } = await idling(t, { IMAP_IDLE_POLL_MS: "0" });
  drop(w, "1700000100.M2P1.mta");
  await new Promise((r) => setTimeout(r, 2500));
  c.send("DONE\r\n");
  // nothing came during IDLE: the EXISTS is the one DONE's rescan reports
  assert.match(await c.until("i"), /^\* 2 EXISTS\r\n\* \d RECENT\r\ni OK IDLE completed\r\n$/);
});
