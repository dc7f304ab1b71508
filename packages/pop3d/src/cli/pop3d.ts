// The per-connection POP3 worker: serves the client on fd 0/1 until QUIT or disconnect.
//   pop3d [maildir]      (maildir default: $MAILDIRPATH, else Maildir, relative to HOME)
// One process does what Courier splits into courierpop3login and courierpop3d.

import { type Endpoints, openEndpoints } from "@courier-imap/tcpd/endpoints";
import { awaitConnection, startedByPool } from "@courier-imap/tcpd/handoff";
import { tlsActive } from "@courier-imap/tcpd/tls/availability";
import { LineInput } from "../io/line-input.js";
import { Output } from "../io/output.js";
import { Pop3Log } from "../session/log.js";
import { runLoop } from "../session/loop.js";
import { Session } from "../session/session.js";
import { readSettings, type Settings } from "../session/settings.js";

const HELP = `Usage: pop3d [maildir]
Serves one POP3 connection on standard input/output (run by couriertcpd, inetd, or systemd).

Environment: TCPREMOTEIP TCPREMOTEPORT TCPLOCALIP TCPLOCALPORT (connection, for logs),
  AUTHDAEMONSOCKET (default /run/courier/authdaemon/socket), AUTHSERVICE<port> (default pop3),
  MAILDIRPATH, POP3AUTH, POP3AUTH_TLS (SASL mechanisms listed by CAPA), POP3_LOG_DELETIONS,
  MIME_UNICODE_MESSAGE_TYPE, POP3_LOGIN_FAIL_DELAY (seconds before "-ERR Login failed.", default 5).
TLS: POP3_TLS=1 (implicit TLS, as pop3d-ssl), POP3_STARTTLS=YES (offer STLS), POP3_TLS_REQUIRED,
  TLS_CERTFILE and the other TLS_* settings (see config/imapd-ssl.dist).
`;

/** Implicit TLS (pop3d-ssl): the handshake comes before the greeting. False: give up. */
async function implicitTls(ends: Endpoints, settings: Settings, log: Pop3Log): Promise<boolean> {
  const tls = await import("@courier-imap/tcpd/tls");
  try {
    const server = await tls.prepareTls(tls.readTlsSettings(settings.env), {
      localIp: settings.localIp || undefined,
    });
    const session = await tls.acceptTls(ends.duplex(), server);
    ends.replace(session.socket);
    Object.assign(settings.env, session.env);
    return true;
  } catch (e) {
    if (e instanceof tls.TlsConfigError) log.line("ERR", (e as Error).message);
    else log.line("INFO", `TLS handshake failed, ${log.where()}: ${(e as Error).message}`);
    ends.close();
    return false;
  }
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(HELP);
    return 0;
  }
  const ends = openEndpoints(startedByPool() ? await awaitConnection() : undefined);
  const settings = readSettings(argv);
  const log = new Pop3Log(settings);
  if (tlsActive(settings.env, "POP3") && !(await implicitTls(ends, settings, log))) return 1;
  log.connection();
  const out = new Output(ends.output);
  const s = new Session(settings, ends, new LineInput(ends.input), out, log);
  await out.line("+OK Hello there.");
  const kind = await runLoop(s);
  if (s.endKind !== "silent") log.end(s.endKind ?? kind, s.user, s.counters());
  await out.end();
  ends.close();
  // a stray handle (e.g. a half-open auth socket) must not keep a finished worker alive
  setTimeout(() => process.exit(), 2000).unref();
  return 0;
}
