// The command loop: read a command, check it against the table and the session phase,
// run it, turn failures into tagged replies. Ends on LOGOUT, BYE, or end of input.

import { COMMANDS } from "../commands/table.js";
import { ImapSyntaxError, parseCommand } from "../parser/tokens.js";
import { CommandFailure } from "./errors.js";
import type { Session } from "./session.js";

const MAX_CONSECUTIVE_ERRORS = 10;

function wrongPhaseText(session: Session, valid: readonly string[]): string {
  if (session.state.phase === "not-authenticated") return "Please log in first.";
  if (valid.includes("not-authenticated")) return "Already logged in.";
  return "No mailbox selected.";
}

async function dispatch(session: Session, raw: Parameters<typeof parseCommand>[0]): Promise<boolean> {
  let tag = "*";
  try {
    const cmd = parseCommand(raw);
    tag = cmd.tag;
    const spec = Object.hasOwn(COMMANDS, cmd.name) ? COMMANDS[cmd.name] : undefined;
    if (!spec) {
      session.tagged(tag, "BAD", "Unknown command.");
      return false;
    }
    if (!spec.phases.includes(session.state.phase)) {
      session.tagged(tag, "BAD", wrongPhaseText(session, spec.phases));
      return false;
    }
    const mod = await spec.load();
    await mod.run(session, cmd);
    return true;
  } catch (e) {
    if (e instanceof ImapSyntaxError) {
      session.tagged(e.tag ?? tag, "BAD", `Error in IMAP command: ${e.message}.`);
      return false;
    }
    if (e instanceof CommandFailure) {
      session.tagged(tag, e.status, e.status === "BAD" ? `Error in IMAP command: ${e.message}.` : e.message);
      return e.status !== "BAD";
    }
    session.log.line(
      "ERR",
      `${process.env.COURIER_DEBUG_STACK ? (e as Error)?.stack : ((e as Error)?.message ?? e)}`.replace(
        /[\x00-\x1f]/g,
        ".",
      ),
    );
    session.tagged(tag, "NO", "Internal error.");
    return true;
  }
}

export type EndReason = "LOGOUT" | "DISCONNECTED" | "TIMEOUT";

export async function runLoop(session: Session): Promise<EndReason> {
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const timeOut = () => {
    if (timedOut) return;
    timedOut = true;
    session.untagged("BYE Disconnected for inactivity.");
    void session.out.end();
    session.input.end();
  };
  // Courier's alarm: the whole not-authenticated phase has a total limit, however busy the
  // client keeps it (imapd-behaviour.md §12); after login, only inactivity counts.
  let preauth: NodeJS.Timeout | undefined = setTimeout(() => {
    if (session.state.phase === "not-authenticated") timeOut();
  }, session.settings.preauthTimeoutMs);
  preauth.unref();
  const arm = () => {
    clearTimeout(timer);
    if (session.state.phase === "not-authenticated") return;
    if (preauth) {
      clearTimeout(preauth);
      preauth = undefined;
    }
    timer = setTimeout(timeOut, session.settings.idleTimeoutMs);
    timer.unref();
  };
  try {
    while (session.state.phase !== "logout") {
      await session.out.flush();
      arm();
      const r = await session.reader.next();
      clearTimeout(timer);
      if (timedOut) return "TIMEOUT";
      if (r.kind === "eof") return "DISCONNECTED";
      let ok: boolean;
      if (r.kind === "error") {
        session.tagged(r.tag ?? "*", "BAD", `Error in IMAP command: ${r.text}`);
        ok = false;
      } else {
        ok = await dispatch(session, r.raw);
        // a streamed APPEND literal the command did not read (it failed first) is skipped
        if (timedOut) return "TIMEOUT";
        if (r.raw.streamed && (await session.reader.finishStreamed()) === undefined) return "DISCONNECTED";
      }
      session.state.consecutiveErrors = ok ? 0 : session.state.consecutiveErrors + 1;
      if (session.state.consecutiveErrors >= MAX_CONSECUTIVE_ERRORS) {
        session.untagged("BYE [ALERT] Fatal error: TOO MANY CONSECUTIVE PROTOCOL VIOLATIONS");
        return "DISCONNECTED";
      }
      if (session.out.isClosed) return "DISCONNECTED";
    }
    return "LOGOUT";
  } finally {
    clearTimeout(timer);
    clearTimeout(preauth);
    await session.out.flush();
  }
}
