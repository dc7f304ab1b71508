// Addresses as Courier's couriertcpd shows them (IPv6-capable build): IPv4 peers as
// `::ffff:a.b.c.d` in TCPREMOTEIP/TCPLOCALIP and in log lines, IPv6 in inet_ntop form.

import { isIPv4 } from "node:net";

export function courierIp(addr: string): string {
  if (isIPv4(addr)) return `::ffff:${addr}`;
  return addr.toLowerCase();
}

/** The IPv4 dotted quad of a plain or IPv4-mapped address, else undefined. */
export function ipv4Of(addr: string): string | undefined {
  if (isIPv4(addr)) return addr;
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
  return m ? m[1] : undefined;
}

/** The eight 16-bit groups of an IPv6 address, as 4-digit lower-case hex. */
export function ipv6Groups(addr: string): string[] | undefined {
  let a = addr.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (v4) {
    const o = v4[1].split(".").map(Number);
    a = `${a.slice(0, -v4[1].length)}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const halves = a.split("::");
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const groups = [...head, ...Array(Math.max(fill, 0)).fill("0"), ...tail];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => g.padStart(4, "0"));
}
