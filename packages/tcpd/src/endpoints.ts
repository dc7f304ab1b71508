// A worker's connection: fd 0/1 (couriertcpd, inetd, systemd Accept=yes) or a socket handed
// over by couriertcpd's pool. When fd 0 and fd 1 are the same socket it is wrapped once and
// used both ways (with TCP_NODELAY); otherwise (pipes, a tty, or two socketpairs as node's
// spawn makes) stdin/stdout are used.

import { fstatSync } from "node:fs";
import { Socket } from "node:net";
import { Duplex, type Readable, type Writable } from "node:stream";

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

/** `handed`: the connection a pre-started worker received from couriertcpd's pool. */
export function openEndpoints(handed?: Socket): Endpoints {
  if (handed) {
    handed.setNoDelay(true);
    return streams(handed, handed, () => handed);
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
