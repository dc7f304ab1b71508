// The per-connection IMAP worker: serves the client on fd 0/1 until LOGOUT or disconnect.
//   imapd [maildir]      (maildir default: $MAILDIRPATH, else Maildir, relative to HOME)

import { openEndpoints } from "../io/endpoints.js";
import { Input } from "../io/input.js";
import { Output } from "../io/output.js";
import { CommandReader } from "../parser/reader.js";
import { capabilityString } from "../session/capability.js";
import { SessionLog } from "../session/log.js";
import { runLoop } from "../session/loop.js";
import { Session } from "../session/session.js";
import { readSettings } from "../session/settings.js";
import { initialState } from "../session/state.js";

const HELP = `Usage: imapd [maildir]
Serves one IMAP connection on standard input/output (run by couriertcpd, inetd, or systemd).

Environment: TCPREMOTEIP TCPREMOTEPORT TCPLOCALIP TCPLOCALPORT (connection, for logs),
  IMAP_CAPABILITY, IMAP_CAPABILITY_TLS, IMAP_TLS, IMAP_ACL, IMAP_ID_FIELDS, SMAP_CAPABILITY,
  IMAP_KEYWORDS, OUTBOX, IMAP_MOVE_EXPUNGE_TO_TRASH (CAPABILITY), AUTHDAEMONSOCKET
  (default /run/courier/authdaemon/socket), AUTHSERVICE<port> (default imap), MAILDIRPATH,
  IMAP_LOGIN_FAIL_DELAY (seconds before "NO Login failed.", default 5).
`;

export const GREETING_TEXT =
  "Courier-IMAP ready. Copyright 1998-2022 S. Varshavchik.  See COPYING for distribution information.";

export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(HELP);
    return 0;
  }
  const settings = readSettings(argv);
  const ends = openEndpoints();
  const input = new Input(ends.input);
  const out = new Output(ends.output);
  const reader = new CommandReader(input, async () => {
    out.write("+ OK\r\n");
    await out.flush();
  });
  const log = new SessionLog(settings);
  const session = new Session(initialState(), settings, input, out, reader, log);

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
