// Shared by LOGIN and AUTHENTICATE: ask authdaemond, then start the account's session
// (imapd-behaviour.md §2-3): enterAccount (drop privileges, chdir HOME), open the maildir, reply OK.

import { setTimeout as sleep } from "node:timers/promises";
import { type AuthRecord, authLogin, getOptionInt } from "@courier-imap/authlib";
import { enterAccount } from "@courier-imap/authlib/login";
import { Maildir } from "@courier-imap/maildir";
import { CommandRefused } from "../session/errors.js";
import type { Session } from "../session/session.js";
import { refuseWithoutTls } from "./tls-required.js";

export async function failed(
  s: Session,
  user: string | undefined,
  method: string | undefined,
): Promise<never> {
  s.log.loginFailed(user, method);
  await s.out.flush();
  await sleep(s.settings.loginFailDelayMs);
  throw new CommandRefused("Login failed.");
}

/** After authdaemond accepted: becomes the account and opens its maildir. */
export async function startSession(s: Session, tag: string, user: string, rec: AuthRecord): Promise<void> {
  if (getOptionInt(rec.options, "disableimap")) {
    s.untagged("BYE IMAP access disabled for this account.");
    s.close("silent");
    return;
  }
  let maildir: Maildir;
  try {
    maildir = await Maildir.open(enterAccount(rec, s.settings.defaultMaildir));
  } catch (e) {
    s.untagged(`BYE [ALERT] Fatal error: ${(e as Error).message.replace(/[\r\n]/g, " ")}`);
    s.log.line(
      "ERR",
      `login setup failed, user=${user.replace(/[\x00-\x1f]/g, ".")}: ${(e as Error).message}`,
    );
    s.close("silent");
    return;
  }
  s.maildir = maildir;
  // imapd never offers STARTTLS after login (imapd-behaviour.md §4.1)
  s.settings.env.IMAP_STARTTLS = "NO";
  s.state.phase = "authenticated";
  s.state.user = user;
  s.state.maildir = maildir.root;
  s.tagged(tag, "OK", "LOGIN Ok.");
  s.log.login(user);
}

export async function loginWithPassword(
  s: Session,
  tag: string,
  user: string | undefined,
  password: string | undefined,
  method?: string,
): Promise<void> {
  refuseWithoutTls(s);
  if (user === undefined || password === undefined) return failed(s, user, method);
  const res = await authLogin({ socket: s.settings.authSocket }, s.settings.authService, user, password, {
    TCPREMOTEIP: s.settings.remoteIp,
  });
  if (res.kind === "tempfail") {
    s.untagged("BYE Temporary problem, please try again later");
    s.close("silent");
    return;
  }
  if (res.kind === "fail") return failed(s, user, method);
  await startSession(s, tag, user, res.record);
}
