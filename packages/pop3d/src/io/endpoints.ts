// The connection: fd 0/1 (couriertcpd, inetd, systemd Accept=yes), or a socket handed over
// by couriertcpd's pool of pre-started workers. When fd 0 and fd 1 are one socket it is
// wrapped once and used both ways, with TCP_NODELAY.

import { fstatSync } from "node:fs";
import { Socket } from "node:net";
import { Duplex, type Readable, type Writable } from "node:stream";
import { awaitConnection, startedByPool } from "@courier-imap/tcpd/handoff";

export interface Endpoints {
  input: Readable;
  output: Writable;
  close(): void;
  /** The connection as one stream, for a TLS handshake on it. */
  duplex(): Duplex;
  /** Uses `d` (the TLS socket) both ways from now on. */
  replace(d: Duplex): void;
}

function sameSocket(a: number, b: number): boolean {
  try {
    const sa = fstatSync(a);
    const sb = fstatSync(b);
    return sa.isSocket() && sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

export async function openEndpoints(): Promise<Endpoints> {
  if (startedByPool()) {
    const sock = await awaitConnection();
    sock.setNoDelay(true);
    return streams(sock, sock, () => sock);
  }
  if (sameSocket(0, 1)) {
    const sock = new Socket({ fd: 0, readable: true, writable: true });
    sock.setNoDelay(true);
    return streams(sock, sock, () => sock);
  }
  return streams(process.stdin, process.stdout, () =>
    Duplex.from({ readable: process.stdin, writable: process.stdout }),
  );
}

function streams(input: Readable, output: Writable, duplex: () => Duplex): Endpoints {
  const e: Endpoints = {
    input,
    output,
    close: () => input.destroy(),
    duplex,
    replace: (d) => {
      e.input = d;
      e.output = d;
      e.close = () => d.destroy();
    },
  };
  return e;
}
