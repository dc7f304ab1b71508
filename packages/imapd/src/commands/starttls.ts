// STARTTLS (RFC 3501 §6.2.1): only when available (IMAP_STARTTLS=YES and a readable
// TLS_CERTFILE). Input the client sent before the handshake is discarded, the
// environment then says IMAP_TLS=1 (so CAPABILITY uses IMAP_CAPABILITY_TLS), and the
// log lines get ", starttls=1".

import { afterStartTls, starttlsAvailable } from "@courier-imap/tcpd/tls/availability";
import { handshake, isConfigError, prepareServerTls } from "../io/tls.js";
import { expectCount } from "../parser/args.js";
import { BadCommand, CommandRefused } from "../session/errors.js";
import type { CommandHandler } from "./types.js";

export const run: CommandHandler = async (s, cmd) => {
  expectCount(cmd.args, 0);
  const env = s.settings.env;
  if (!starttlsAvailable(env, "IMAP") || !s.endpoints) throw new BadCommand("STARTTLS is not available");
  let server: Awaited<ReturnType<typeof prepareServerTls>>;
  try {
    server = await prepareServerTls(env, s.settings.localIp);
  } catch (e) {
    if (!(await isConfigError(e))) throw e;
    s.log.line("ERR", (e as Error).message);
    throw new CommandRefused(`STARTTLS failed: ${(e as Error).message}`);
  }
  s.input.detach();
  s.tagged(cmd.tag, "OK", "Begin SSL/TLS negotiation now.");
  await s.out.drain();
  let tlsEnv: Record<string, string>;
  try {
    tlsEnv = await handshake(s.endpoints, server);
  } catch (e) {
    s.log.line("INFO", `STARTTLS failed, ${s.log.whereText()}: ${(e as Error).message}`);
    s.close("silent");
    return;
  }
  s.input.attach(s.endpoints.input);
  s.out.attach(s.endpoints.output);
  afterStartTls(env, "IMAP", tlsEnv);
  s.log.starttls = true;
};
