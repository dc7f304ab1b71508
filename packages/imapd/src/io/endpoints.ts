// The connection lives on fd 0/1 (couriertcpd, inetd, systemd Accept=yes). When fd 0 and
// fd 1 are the same socket it is wrapped once and used both ways (with TCP_NODELAY);
// otherwise (pipes, a tty, or two socketpairs as node's spawn makes) stdin/stdout are used.

import { fstatSync } from "node:fs";
import { Socket } from "node:net";
import type { Readable, Writable } from "node:stream";

export interface Endpoints {
  input: Readable;
  output: Writable;
  close(): void;
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

export function openEndpoints(): Endpoints {
  if (sameSocket(0, 1)) {
    const sock = new Socket({ fd: 0, readable: true, writable: true });
    sock.setNoDelay(true);
    return { input: sock, output: sock, close: () => sock.destroy() };
  }
  return {
    input: process.stdin,
    output: process.stdout,
    close: () => process.stdin.destroy(),
  };
}
