// Server side of a handshake on a connection we already hold: the worker's fd-0 socket
// for implicit TLS (imapd-ssl, pop3d-ssl) or after STARTTLS/STLS. A tls.Server that never
// listens is handed the connection, so Node applies verification, SNI, ALPN and the
// handshake timeout exactly as for accepted sockets.

import type { Duplex } from "node:stream";
import type { Server, TLSSocket } from "node:tls";
import { tlsServer } from "./context.js";
import type { Where } from "./files.js";
import type { TlsSettings } from "./settings.js";
import { connectedProtocol, subjectEnv } from "./subject.js";

export interface TlsSession {
  socket: TLSSocket;
  /** TLS_CONNECTED_PROTOCOL plus TLS_SUBJECT_* of a verified client certificate. */
  env: Record<string, string>;
}

/** The handshake failed or the peer was refused; the connection is gone. */
export class TlsHandshakeError extends Error {}

/** OpenSSL's "…:error:0A000076:SSL routines:tls_choose_sigalg:no suitable …:t1_lib.c:3242:" → the words. */
function reason(e: Error): string {
  return e.message
    .replace(/^[0-9A-F]+:error:[0-9A-F]+:[^:]*:[^:]*:/, "")
    .replace(/:[^:]*\.c:\d+:?\s*$/, "")
    .trim();
}

/**
 * Loads certificate, key and CAs now, so that a TlsConfigError comes before the protocol
 * says "go ahead" (STARTTLS replies NO instead).
 */
export function prepareTls(settings: TlsSettings, where: Where = {}, timeoutMs = 60_000): Server {
  return tlsServer(settings, where, timeoutMs);
}

export function acceptTls(raw: Duplex, server: Server): Promise<TlsSession> {
  return new Promise((resolve, reject) => {
    let done = false;
    const fail = (why: string) => {
      if (done) return;
      done = true;
      raw.destroy();
      reject(new TlsHandshakeError(why));
    };
    server.on("tlsClientError", (err) => fail(reason(err)));
    raw.once("close", () => fail("connection closed during the TLS handshake"));
    server.on("secureConnection", (sock: TLSSocket) => {
      if (done) return;
      const cert = sock.getPeerCertificate();
      const presented = !!cert && Object.keys(cert).length > 0;
      // TLS_VERIFYPEER=PEER: a certificate need not be sent, but one that is must verify.
      if (presented && !sock.authorized) {
        sock.destroy();
        return fail(`client certificate refused: ${sock.authorizationError}`);
      }
      done = true;
      const env: Record<string, string> = { TLS_CONNECTED_PROTOCOL: connectedProtocol(sock) };
      if (presented) Object.assign(env, subjectEnv(cert));
      resolve({ socket: sock, env });
    });
    server.emit("connection", raw);
  });
}
