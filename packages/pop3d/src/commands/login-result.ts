// After authdaemond answered: a failed login (logged, delayed, refused), a temporary
// failure (the session ends), or the start of the TRANSACTION state.

import { setTimeout as sleep } from "node:timers/promises";
import { type AuthRecord, getOptionInt } from "@courier-imap/authlib";
import { enterAccount } from "@courier-imap/authlib/login";
import { Maildir } from "@courier-imap/maildir";
import { tlsActive } from "@courier-imap/tcpd/tls/availability";
import { sanitize } from "../session/log.js";
import type { Session } from "../session/session.js";

export async function loginFailed(
  s: Session,
  user: string | undefined,
  method: string | undefined,
  text: string,
): Promise<void> {
  s.log.loginFailed(user, method);
  await s.out.flush();
  await sleep(s.settings.loginFailDelayMs);
  return s.reply(false, text);
}

export async function temporaryFailure(s: Session): Promise<void> {
  await s.reply(false, "Temporary problem, please try again later");
  s.close("silent");
}

async function refuse(s: Session, text: string): Promise<void> {
  await s.reply(false, text);
  s.close("silent");
}

/** Becomes the account, checks its options, opens INBOX and replies `+OK logged in.`. */
export async function startSession(s: Session, user: string, rec: AuthRecord): Promise<void> {
  const env = s.settings.env;
  let path: string;
  try {
    path = enterAccount(rec, s.settings.defaultMaildir);
  } catch (e) {
    s.log.line("ERR", `login setup failed, user=${sanitize(user)}: ${sanitize((e as Error).message)}`);
    return refuse(s, "Your account is temporarily unavailable.");
  }
  if (getOptionInt(rec.options, "disablepop3")) return refuse(s, "POP3 access disabled for this account.");
  if (getOptionInt(rec.options, "disableinsecurepop3") && !tlsActive(env, "POP3"))
    return refuse(s, "POP3 access disabled via insecure connection.");
  s.user = user;
  s.log.login(user);
  try {
    s.mailbox = await (await Maildir.open(path)).openPop3();
  } catch (e) {
    s.log.line(
      "ERR",
      `cannot open ${sanitize(path)}, user=${sanitize(user)}: ${sanitize((e as Error).message)}`,
    );
    return refuse(s, "Maildir invalid (no 'cur' directory)");
  }
  s.phase = "transaction";
  return s.reply(true, "logged in.");
}
