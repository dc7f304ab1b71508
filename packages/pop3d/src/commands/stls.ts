// STLS (RFC 2595 §4): offered when POP3_STARTTLS=YES and TLS_CERTFILE is readable. Input
// sent before the handshake is discarded; afterwards POP3_TLS=1 (CAPA then lists
// POP3AUTH_TLS) and the log lines get `, stls=1`.

import { afterStartTls, starttlsAvailable, tlsActive } from "@courier-imap/tcpd/tls/availability";
import type { Handler } from "./types.js";

export const stls: Handler = async (s) => {
  const env = s.settings.env;
  if (!starttlsAvailable(env, "POP3") || tlsActive(env, "POP3"))
    return s.reply(false, "TLS support not available.");
  const tls = await import("@courier-imap/tcpd/tls");
  let server: Awaited<ReturnType<typeof tls.prepareTls>>;
  try {
    server = await tls.prepareTls(tls.readTlsSettings(env), { localIp: s.settings.localIp || undefined });
  } catch (e) {
    if (!(e instanceof tls.TlsConfigError)) throw e;
    s.log.line("ERR", (e as Error).message);
    return s.reply(false, `STARTTLS failed: ${(e as Error).message}`);
  }
  s.input.detach();
  await s.reply(true, "Begin SSL/TLS negotiation now.");
  await s.out.flush();
  try {
    const session = await tls.acceptTls(s.ends.duplex(), server);
    s.ends.replace(session.socket);
    afterStartTls(env, "POP3", session.env);
  } catch (e) {
    s.log.line("INFO", `STARTTLS failed, ${s.log.where()}: ${(e as Error).message}`);
    s.close("silent");
    return;
  }
  s.input.attach(s.ends.input);
  s.out.attach(s.ends.output);
  s.log.stls = true;
};
