// The per-connection IMAP worker: serves the client on fd 0/1 until LOGOUT or disconnect.
//   imapd [maildir]      (maildir default: $MAILDIRPATH, else Maildir, relative to HOME)

import { type Endpoints, openEndpoints } from "@courier-imap/tcpd/endpoints";
import { awaitConnection, startedByPool } from "@courier-imap/tcpd/handoff";
import { tlsActive } from "@courier-imap/tcpd/tls/availability";
import { COMMANDS } from "../commands/table.js";
import { Input } from "../io/input.js";
import { Output } from "../io/output.js";
import { handshake, isConfigError, prepareServerTls } from "../io/tls.js";
import { CommandReader } from "../parser/reader.js";
import { capabilityString } from "../session/capability.js";
import { SessionLog } from "../session/log.js";
import { runLoop } from "../session/loop.js";
import { Session } from "../session/session.js";
import { readSettings } from "../session/settings.js";
import { byeOnSignal } from "../session/shutdown-signal.js";
import { initialState } from "../session/state.js";

const HELP = `Usage: imapd [maildir]
Serves one IMAP connection on standard input/output (run by couriertcpd, inetd, or systemd).

Environment: TCPREMOTEIP TCPREMOTEPORT TCPLOCALIP TCPLOCALPORT (connection, for logs),
  IMAP_CAPABILITY, IMAP_CAPABILITY_TLS, IMAP_TLS, IMAP_ACL, IMAP_ID_FIELDS, SMAP_CAPABILITY,
  IMAP_KEYWORDS, OUTBOX, IMAP_MOVE_EXPUNGE_TO_TRASH (CAPABILITY), AUTHDAEMONSOCKET
  (default /run/courier/authdaemon/socket), AUTHSERVICE<port> (default imap), MAILDIRPATH,
  IMAP_LOGIN_FAIL_DELAY (seconds before "NO Login failed.", default 5),
  IMAP_PREAUTH_TIMEOUT (total seconds allowed before login, default 60),
  IMAP_AUTOLOGOUT (seconds without a command after login, default 1800).
TLS: IMAP_TLS=1 (implicit TLS, as imapd-ssl sets it), IMAP_STARTTLS=YES (offer STARTTLS),
  IMAP_TLS_REQUIRED, TLS_CERTFILE, TLS_PRIVATE_KEYFILE, TLS_PROTOCOL, TLS_PRIORITY,
  TLS_CIPHER_LIST, TLS_DHPARAMS, TLS_MIN_DH_BITS, TLS_VERIFYPEER, TLS_TRUSTCERTS,
  TLS_EXTERNAL, TLS_CACHEFILE, TLS_CACHESIZE, TLS_TIMEOUT, TLS_ALPN (see config/imapd-ssl.dist).
`;

/** Implicit TLS (imapd-ssl): the handshake comes before the greeting. False: give up. */
async function implicitTls(ends: Endpoints, settings: ReturnType<typeof readSettings>, log: SessionLog) {
  try {
    const server = await prepareServerTls(settings.env, settings.localIp);
    Object.assign(settings.env, await handshake(ends, server));
    log.starttls = true;
    return true;
  } catch (e) {
    if (await isConfigError(e)) log.line("ERR", (e as Error).message);
    else log.line("INFO", `TLS handshake failed, ${log.whereText()}: ${(e as Error).message}`);
    ends.close();
    return false;
  }
}

async function warmUp(): Promise<void> {
  await Promise.all([
    import("@courier-imap/authlib"),
    import("@courier-imap/maildir"),
    // what LOGIN itself loads lazily, so that the reply to it waits on authdaemond only
    import("../login/login-with-password.js"),
    ...[
      "LOGIN",
      "AUTHENTICATE",
      "SELECT",
      "FETCH",
      "SEARCH",
      "SORT",
      "THREAD",
      "LIST",
      "STATUS",
      "NOOP",
      "LOGOUT",
    ].map((c) => COMMANDS[c].load()),
  ]);
}

export const GREETING_TEXT =
  "Courier-IMAP ready. Copyright 1998-2022 S. Varshavchik.  See COPYING for distribution information.";

export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(HELP);
    return 0;
  }
  // A pre-started worker loads what a typical session needs while it waits, then takes the
  // connection (and its TCP* environment) from couriertcpd.
  let handed: Awaited<ReturnType<typeof awaitConnection>> | undefined;
  if (startedByPool()) {
    await warmUp();
    handed = await awaitConnection();
  }
  const settings = readSettings(argv);
  const ends = openEndpoints(handed);
  const log = new SessionLog(settings);
  if (tlsActive(settings.env, "IMAP") && !(await implicitTls(ends, settings, log))) return 1;
  const input = new Input(ends.input);
  const out = new Output(ends.output);
  byeOnSignal(out);
  const reader = new CommandReader(input, async () => {
    out.write("+ OK\r\n");
    await out.flush();
  });
  const session = new Session(initialState(), settings, input, out, reader, log);
  session.endpoints = ends;

  session.untagged(`OK [CAPABILITY ${capabilityString(settings.env)}] ${GREETING_TEXT}`);
  const reason = await runLoop(session);
  if (session.endReason !== "silent") {
    log.end(session.endReason === "LOGOUT" ? "LOGOUT" : reason, session.state.user, session.counters());
  }
  await out.end();
  ends.close();
  // a stray handle (e.g. a half-open auth socket) must not keep a finished worker alive
  setTimeout(() => process.exit(), 2000).unref();
  return 0;
}
