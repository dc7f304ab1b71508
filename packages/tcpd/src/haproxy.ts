// -haproxy (spec/pop3d-and-tcpd.md §5.6): connections to the listed local ports must begin
// with a PROXY protocol v1 line, whose addresses then stand for the connection's. The line
// is read with MSG_PEEK and then exactly consumed, so the bytes after it stay on the socket
// for the worker that inherits it.

import { isIP } from "node:net";
import { EAGAIN, errno, recvNow } from "@courier-imap/courierlogger";

export interface HaproxyRule {
  timeoutMs: number;
  port?: number;
  address?: string;
}

const DEFAULT_TIMEOUT_S = 15;
const MAX_HEADER = 255;

export class HaproxyError extends Error {}

/** `[<timeout>][/port=[<ip>.]<port>]`, comma-separated; an empty value is one rule for every port. */
export function parseHaproxy(value: string): HaproxyRule[] {
  return value.split(",").map((entry) => {
    const m = /^(\d*)(?:\/port=(?:(.+)\.)?(\d+))?$/.exec(entry);
    if (!m) throw new HaproxyError(`-haproxy: invalid entry: ${entry}`);
    return {
      timeoutMs: (m[1] ? Number(m[1]) : DEFAULT_TIMEOUT_S) * 1000,
      address: m[2],
      port: m[3] ? Number(m[3]) : undefined,
    };
  });
}

export function ruleFor(rules: HaproxyRule[], localIp: string, localPort: number): HaproxyRule | undefined {
  return rules.find(
    (r) =>
      (r.port === undefined || r.port === localPort) &&
      (r.address === undefined || r.address === localIp || `::ffff:${r.address}` === localIp),
  );
}

export interface ProxiedAddresses {
  remoteIp: string;
  remotePort: number;
  localIp: string;
  localPort: number;
}

/** Parses `PROXY TCP4|TCP6 src dst sport dport` (without CRLF). */
export function parseProxyLine(line: string): ProxiedAddresses {
  const f = line.split(" ");
  if (f[0] !== "PROXY") throw new HaproxyError("malformed PROXY statement");
  if (f[1] !== "TCP4" && f[1] !== "TCP6") throw new HaproxyError("unknown protocol");
  const [, proto, src, dst, sport, dport] = f;
  const fam = proto === "TCP4" ? 4 : 6;
  const port = (p: string | undefined) => (p && /^\d{1,5}$/.test(p) && Number(p) < 65536 ? Number(p) : -1);
  if (f.length !== 6 || isIP(src) !== fam || isIP(dst) !== fam || port(sport) < 0 || port(dport) < 0)
    throw new HaproxyError("malformed PROXY statement");
  return { remoteIp: src, remotePort: port(sport), localIp: dst, localPort: port(dport) };
}

/** Waits for the header on the (paused) socket `fd` and consumes exactly it. */
export async function readProxyHeader(fd: number, timeoutMs: number): Promise<ProxiedAddresses> {
  const until = Date.now() + timeoutMs;
  let delay = 1;
  for (;;) {
    const peek = recvNow(fd, MAX_HEADER + 1, true);
    if (peek === -1 && errno() !== EAGAIN) throw new HaproxyError("connection error");
    if (peek !== -1) {
      const end = peek.indexOf("\r\n");
      if (end >= 0) {
        recvNow(fd, end + 2, false);
        return parseProxyLine(peek.subarray(0, end).toString("latin1"));
      }
      if (peek.length === 0) throw new HaproxyError("connection closed");
      if (peek.length > MAX_HEADER) throw new HaproxyError("malformed PROXY statement");
    }
    if (Date.now() >= until) throw new HaproxyError("timeout");
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 20);
  }
}
