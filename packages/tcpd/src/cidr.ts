// makedat -cidr: `a.b.c.d/nn` and `start-end` keys become the address-prefix keys the
// access lookup uses, as Net::CIDR's range2cidr + cidr2octets do (IPv6 keys get a leading `:`).

import { isIPv4 } from "node:net";
import { ipv6Groups } from "./address.js";

const v4ToInt = (a: string) => a.split(".").reduce((n, o) => n * 256 + Number(o), 0);
const v6ToBig = (a: string) => BigInt(`0x${ipv6Groups(a)!.join("")}`);

/** Octet-aligned prefixes covering [lo, hi] (inclusive), in `bits`-wide addresses of `unit`-bit parts. */
function cover(
  lo: bigint,
  hi: bigint,
  bits: number,
  unit: number,
  show: (n: bigint, parts: number) => string,
  out: string[],
): void {
  let cur = lo;
  while (cur <= hi) {
    // the largest aligned block starting at cur that fits, rounded down to a whole part
    let size = 0;
    while (size < bits && cur % (1n << BigInt(size + 1)) === 0n && cur + (1n << BigInt(size + 1)) - 1n <= hi)
      size++;
    const whole = size - (size % unit);
    const parts = (bits - whole) / unit;
    const step = 1n << BigInt(whole);
    const end = cur + (1n << BigInt(size));
    for (let n = cur; n < end; n += step) out.push(show(n, parts));
    cur = end;
  }
}

function showV4(n: bigint, parts: number): string {
  const o = [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n));
  return o.slice(0, parts).join(".");
}

function showV6(n: bigint, parts: number): string {
  const g: string[] = [];
  for (let i = 7; i >= 0; i--) g.push(((n >> BigInt(i * 16)) & 0xffffn).toString(16).padStart(4, "0"));
  return `:${g.slice(0, parts).join(":")}`;
}

/** The keys for one `net` (CIDR or range), or undefined when it is neither. */
export function expandNet(net: string): string[] | undefined {
  const m = /^([a-fA-F0-9:.]+)([-/])([a-fA-F0-9:.]+)$/.exec(net);
  if (!m) return undefined;
  const [, a, op, b] = m;
  const out: string[] = [];
  if (isIPv4(a)) {
    const lo = BigInt(v4ToInt(a));
    if (op === "/") {
      const len = Number(b);
      if (!/^\d+$/.test(b) || len > 32) return undefined;
      const mask = (1n << BigInt(32 - len)) - 1n;
      cover(lo & ~mask, (lo & ~mask) | mask, 32, 8, showV4, out);
      return out;
    }
    if (!isIPv4(b)) return undefined;
    cover(lo, BigInt(v4ToInt(b)), 32, 8, showV4, out);
    return out;
  }
  if (!ipv6Groups(a)) return undefined;
  const lo = v6ToBig(a);
  if (op === "/") {
    const len = Number(b);
    if (!/^\d+$/.test(b) || len > 128) return undefined;
    const mask = (1n << BigInt(128 - len)) - 1n;
    cover(lo & ~mask, (lo & ~mask) | mask, 128, 16, showV6, out);
    return out;
  }
  if (!ipv6Groups(b)) return undefined;
  cover(lo, v6ToBig(b), 128, 16, showV6, out);
  return out;
}
