// The command loop: one line, one command word (upper-cased up to the first space/tab),
// the rest is the argument. Courier's timers: 60 s for the whole login phase, then 300 s
// per command; either ends the session silently.

import { COMMANDS } from "../commands/table.js";
import type { EndKind } from "./log.js";
import { sanitize } from "./log.js";
import type { Session } from "./session.js";

/** Courier reads command lines into an 8 KiB buffer. */
const MAX_LINE = 8192;

async function dispatch(s: Session, line: string): Promise<void> {
  const m = /^([^ \t]*)[ \t]?(.*)$/s.exec(line)!;
  const word = m[1].toUpperCase();
  const spec = Object.hasOwn(COMMANDS, word) ? COMMANDS[word] : undefined;
  if (!spec?.phases.includes(s.phase)) return s.reply(false, "Invalid command.");
  try {
    const mod = await spec.load();
    await mod[spec.name](s, m[2]);
  } catch (e) {
    s.log.line("ERR", `${word}: ${sanitize(`${(e as Error)?.message ?? e}`)}`);
    await s.reply(false, "Internal error.");
  }
}

export async function runLoop(s: Session): Promise<EndKind> {
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      s.input.end();
    }, ms);
    timer.unref();
  };
  arm(s.settings.preauthTimeoutMs);
  try {
    while (s.phase !== "done") {
      await s.out.flush();
      if (s.phase === "transaction") arm(s.settings.idleTimeoutMs);
      const line = await s.input.readLine(MAX_LINE);
      if (timedOut) return "TIMEOUT";
      if (line === null) return "DISCONNECTED";
      if (s.phase === "transaction") clearTimeout(timer);
      await dispatch(s, line);
      if (s.out.isClosed) return "DISCONNECTED";
    }
    return "LOGOUT";
  } finally {
    clearTimeout(timer);
    await s.out.flush();
  }
}
