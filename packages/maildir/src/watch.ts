// Change notification for IDLE (maildir-formats.md §11.3): inotify (through fs.watch) on
// new/, cur/ and courierimapkeywords/; where watching is unavailable or fails later (e.g. the
// per-user limit of 128 inotify instances, or of watches), polling: every statPollMs (1 s) a
// stat of the three directories (mtime in ns and inode), firing when that stamp changes, and
// every pollMs a change reported regardless, as a safety net for what a stamp cannot show.
// libuv keeps a single inotify instance per process however many directories are watched,
// so a worker never costs more than one instance.

import { type FSWatcher, watch as fsWatch, statSync } from "node:fs";
import { join } from "node:path";
import { KEYWORDS_DIR } from "./keywords.js";

export interface WatchOptions {
  /** Polling: interval of the forced full rescan (Courier polls every 60 s). */
  pollMs?: number;
  /** Polling: interval of the check of the directories' stamps (default 1 s; 0: none). */
  statPollMs?: number;
  /** false: never use inotify (e.g. a site that must save instances). */
  useInotify?: boolean;
  /** Coalesce bursts of events into one callback. */
  debounceMs?: number;
  /** For tests: replaces fs.watch. */
  watchFn?: typeof fsWatch;
}

export interface FolderWatch {
  readonly mode: "inotify" | "poll";
  close(): void;
}

function dirs(folderPath: string): string[] {
  return [join(folderPath, "new"), join(folderPath, "cur"), join(folderPath, KEYWORDS_DIR)];
}

/**
 * A directory's mtime moves in steps of the kernel's clock tick, so a change made within the
 * tick of a stat leaves the stamp as that stat saw it. A stamp this close to now is not
 * trusted: the next check fires again.
 */
const RACY_NS = 50_000_000n;

function stamp(folderPath: string): { key: string; racy: boolean } {
  const now = BigInt(Date.now()) * 1_000_000n;
  let racy = false;
  const key = dirs(folderPath)
    .map((d) => {
      try {
        const st = statSync(d, { bigint: true });
        if (now - st.mtimeNs < RACY_NS) racy = true;
        return `${st.mtimeNs}:${st.ino}`;
      } catch {
        return "-";
      }
    })
    .join(",");
  return { key, racy };
}

export function watchFolder(folderPath: string, onChange: () => void, opts: WatchOptions = {}): FolderWatch {
  const pollMs = opts.pollMs ?? 60_000;
  const statPollMs = opts.statPollMs ?? 1000;
  const debounceMs = opts.debounceMs ?? 25;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const fire = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (!closed) onChange();
    }, debounceMs);
    timer.unref();
  };

  let watchers: FSWatcher[] = [];
  let poller: NodeJS.Timeout | undefined;
  const state = { mode: "poll" as "inotify" | "poll" };
  const startPolling = () => {
    for (const w of watchers) w.close();
    watchers = [];
    state.mode = "poll";
    const tick = statPollMs > 0 ? Math.min(statPollMs, pollMs) : pollMs;
    const seen = (st: { key: string; racy: boolean }) => (st.racy ? "racy" : st.key);
    let last = seen(stamp(folderPath));
    let sinceRescan = 0;
    poller = setInterval(() => {
      const now = stamp(folderPath);
      sinceRescan += tick;
      if (now.key !== last || sinceRescan >= pollMs) {
        sinceRescan = 0;
        fire();
      }
      last = seen(now);
    }, tick);
    poller.unref();
  };

  if (opts.useInotify !== false) {
    try {
      const w = opts.watchFn ?? fsWatch;
      for (const d of dirs(folderPath)) {
        try {
          const fw = w(d, { persistent: false }, fire);
          fw.on("error", () => {
            if (!closed && state.mode === "inotify") {
              startPolling();
              fire();
            }
          });
          watchers.push(fw);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === "ENOENT" && d.endsWith(KEYWORDS_DIR)) continue;
          throw e;
        }
      }
      state.mode = "inotify";
    } catch {
      startPolling();
    }
  } else startPolling();

  return {
    get mode() {
      return state.mode;
    },
    close() {
      closed = true;
      for (const w of watchers) w.close();
      if (poller) clearInterval(poller);
      if (timer) clearTimeout(timer);
    },
  };
}
