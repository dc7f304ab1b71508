// Change notification for IDLE (maildir-formats.md §11.3): inotify (through fs.watch) on
// new/, cur/ and courierimapkeywords/; where watching is unavailable or fails later (e.g. the
// per-user limit of 128 inotify instances, or of watches), a poll of the directories' mtimes.
// libuv keeps a single inotify instance per process however many directories are watched,
// so a worker never costs more than one instance.

import { type FSWatcher, watch as fsWatch, statSync } from "node:fs";
import { join } from "node:path";
import { KEYWORDS_DIR } from "./keywords.js";

export interface WatchOptions {
  /** Poll interval when watching is unavailable (Courier: 60 s). */
  pollMs?: number;
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

function stamp(folderPath: string): string {
  return dirs(folderPath)
    .map((d) => {
      try {
        const st = statSync(d, { bigint: true });
        return `${st.mtimeNs}:${st.ino}`;
      } catch {
        return "-";
      }
    })
    .join(",");
}

export function watchFolder(folderPath: string, onChange: () => void, opts: WatchOptions = {}): FolderWatch {
  const pollMs = opts.pollMs ?? 60_000;
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
    let last = stamp(folderPath);
    poller = setInterval(() => {
      const now = stamp(folderPath);
      if (now !== last) {
        last = now;
        fire();
      }
    }, pollMs);
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
