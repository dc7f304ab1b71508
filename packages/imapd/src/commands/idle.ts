// IDLE (RFC 2177, imapd-behaviour.md §8): `+ entering idle mode`, an immediate rescan, then
// every change of the selected folder (another session's APPEND, STORE, EXPUNGE, or a file an
// MTA drops into new/) reported as it happens, through the maildir watch API (inotify, one
// instance per worker; where inotify is unavailable, e.g. past the per-user instance limit, or
// IMAP_IDLE_INOTIFY=0: a stat of the folder's directories every IMAP_IDLE_POLL_MS, 1000, and a
// full rescan every IMAP_IDLE_TIMEOUT seconds, Courier's poll). Without a selected folder
// there is nothing to watch. `DONE` ends it (rescan, tagged OK); anything else is a BAD. The
// inactivity timer keeps running: after it, `* BYE Disconnected for inactivity.`.

import type { FolderWatch } from "@courier-imap/maildir";
import { rescanAndReport } from "../mailbox/rescan.js";
import { expectCount } from "../parser/args.js";
import { BadCommand } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

function pollMs(env: NodeJS.ProcessEnv): number {
  const n = Number.parseFloat(env.IMAP_IDLE_TIMEOUT ?? "");
  return (Number.isFinite(n) && n > 0 ? n : 60) * 1000;
}

function statPollMs(env: NodeJS.ProcessEnv): number {
  const n = Number.parseInt(env.IMAP_IDLE_POLL_MS ?? "", 10);
  return Number.isFinite(n) && n >= 0 ? n : 1000;
}

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 0);
  let chain: Promise<void> = Promise.resolve();
  let queued = false;
  const update = () => {
    if (queued) return;
    queued = true;
    chain = chain.then(async () => {
      queued = false;
      if (s.state.phase === "logout") return;
      await rescanAndReport(s);
      await s.out.flush();
    });
  };
  // watch first, then the initial rescan: nothing that happens after `+` can be missed
  let watch: FolderWatch | undefined;
  if (s.mailbox) {
    watch = s.mailbox.folder.watch(update, {
      pollMs: pollMs(s.settings.env),
      statPollMs: statPollMs(s.settings.env),
      useInotify: s.settings.env.IMAP_IDLE_INOTIFY !== "0",
      debounceMs: 5,
    });
  }
  s.out.write("+ entering idle mode\r\n");
  update();
  await chain;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    s.input.end();
  }, s.settings.idleTimeoutMs);
  let line: Awaited<ReturnType<typeof s.input.readLine>>;
  try {
    line = await s.input.readLine(1024);
  } finally {
    clearTimeout(timer);
    watch?.close();
    await chain;
  }
  if (timedOut) {
    s.untagged("BYE Disconnected for inactivity.");
    await s.out.flush();
    s.log.end("TIMEOUT", s.state.user, s.counters());
    s.close("silent");
    return;
  }
  if (!line) return; // end of input: the loop sees it next
  if (line.overflow || line.line.toString("latin1").trim().toUpperCase() !== "DONE")
    throw new BadCommand("expected DONE");
  await rescanAndReport(s);
  s.tagged(cmd.tag, "OK", "IDLE completed");
};
