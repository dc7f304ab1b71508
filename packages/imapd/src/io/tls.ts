// imapd's side of TLS: the shared module (@courier-imap/tcpd/tls) does the work; it is
// loaded only when a connection actually uses TLS.

import type { Server } from "node:tls";
import type { Endpoints } from "@courier-imap/tcpd/endpoints";

/** Reads the TLS_* settings and files; throws TlsConfigError naming a bad variable. */
export async function prepareServerTls(env: NodeJS.ProcessEnv, localIp: string): Promise<Server> {
  const { prepareTls, readTlsSettings } = await import("@courier-imap/tcpd/tls");
  return prepareTls(readTlsSettings(env), { localIp: localIp || undefined });
}

/** Runs the handshake on the connection and switches the endpoints to the TLS socket. */
export async function handshake(ends: Endpoints, server: Server): Promise<Record<string, string>> {
  const { acceptTls } = await import("@courier-imap/tcpd/tls");
  const session = await acceptTls(ends.duplex(), server);
  ends.replace(session.socket);
  return session.env;
}

export async function isConfigError(e: unknown): Promise<boolean> {
  const { TlsConfigError } = await import("@courier-imap/tcpd/tls");
  return e instanceof TlsConfigError;
}
