// -block and -allow: DNS block/allow lists (spec/pop3d-and-tcpd.md §5.7, §5.4 step 7), as
// Courier's tcpd.c does them: for each list in command-line order, unless its variable is
// already set (by the access file, the environment or an earlier list), look up
// `d.c.b.a.<zone>` (IPv6: the 32 reversed nibbles) and on a hit set the variable and its
// _IP/_TXT/_ZONE companions. A DNS failure counts as "not listed".

import { Resolver } from "node:dns/promises";
import { isIPv4 } from "node:net";
import { ipv4Of, ipv6Groups } from "./address.js";

export interface DnsList {
  allow: boolean;
  zone: string;
  /** For <VAR>_ZONE: the `=display` part, else the zone. */
  displayZone: string;
  /** The variable set on a hit (default BLOCK, for -allow too). */
  variable: string;
  /** `/<ip>`: only an A record with this value is a hit. */
  ip?: string;
  /**
   * The part after the second comma. -block: `*` = use the TXT record, other text = the
   * message (`@` = client address); -allow: present (even empty) = also fetch the TXT record.
   */
  msg?: string;
}

export class DnsListError extends Error {}

/** `<zone>[=<display>][,<VAR>[/<ip>][,<msg>]]`, split the way tcpd.c's setup_block_allow does. */
export function parseDnsList(value: string, allow: boolean): DnsList {
  const opt = allow ? "-allow" : "-block";
  let zone = value;
  let rest = "";
  let display: string | undefined;
  const zoneEnd = value.search(/[,/]/);
  if (zoneEnd >= 0) {
    zone = value.slice(0, zoneEnd);
    // "zone,VAR..." starts the variable after the comma; "zone/ip..." has no variable
    rest = value[zoneEnd] === "," ? value.slice(zoneEnd + 1) : value.slice(zoneEnd);
  }
  const eq = zone.indexOf("=");
  if (eq >= 0) {
    display = zone.slice(eq + 1);
    zone = zone.slice(0, eq);
  }
  if (!zone) throw new DnsListError(`${opt}=${value}: no zone`);
  let variable = rest;
  let ip: string | undefined;
  let msg: string | undefined;
  const varEnd = rest.search(/[,/]/);
  if (varEnd >= 0) {
    variable = rest.slice(0, varEnd);
    let tail = rest.slice(varEnd);
    if (tail.startsWith("/")) {
      const ipEnd = tail.indexOf(",");
      ip = ipEnd < 0 ? tail.slice(1) : tail.slice(1, ipEnd);
      tail = ipEnd < 0 ? "" : tail.slice(ipEnd);
      if (!isIPv4(ip)) throw new DnsListError(`${opt}=${value}: not an IPv4 address: ${ip}`);
    }
    if (tail.startsWith(",")) msg = tail.slice(1);
  }
  return {
    allow,
    zone,
    displayZone: display || zone,
    variable: variable || "BLOCK",
    ip,
    msg,
  };
}

/** The name to look up for `addr` in `zone`: IPv4 (also IPv4-mapped) reversed, IPv6 in nibbles. */
export function queryName(addr: string, zone: string): string | undefined {
  const v4 = ipv4Of(addr);
  if (v4) return `${v4.split(".").reverse().join(".")}.${zone}`;
  const groups = ipv6Groups(addr);
  if (!groups) return undefined;
  return `${[...groups.join("")].reverse().join(".")}.${zone}`;
}

/** What one DNS list answered: A records and (when asked for) the first TXT string. */
export interface DnsAnswer {
  a: string[];
  txt?: string;
}

export type Lookup = (name: string, zone: string, wantTxt: boolean) => Promise<DnsAnswer>;

/** Does this list want the TXT record (tcpd.c: -block with `*`, -allow with any third part)? */
function wantsTxt(l: DnsList): boolean {
  return l.allow ? l.msg !== undefined : l.msg === "*";
}

/** `@` (the first one, as tcpd.c's mkmymsg) becomes the client's address. */
function message(msg: string, remoteIp: string): string {
  const at = msg.indexOf("@");
  return at < 0 ? msg : msg.slice(0, at) + remoteIp + msg.slice(at + 1);
}

/**
 * Applies one list's answer to `vars`; `allowCount` numbers the ALLOW_<n> variables.
 * Returns whether it was a hit.
 */
export function applyAnswer(
  l: DnsList,
  answer: DnsAnswer,
  remoteIp: string,
  vars: Record<string, string>,
  allowCount: { n: number },
): boolean {
  const v = l.variable;
  const a = l.ip ? answer.a.find((x) => x === l.ip) : answer.a[0];
  // (a TXT record counts only when this list asks for one; an empty one not at all)
  const txt = wantsTxt(l) ? answer.txt || undefined : undefined;
  if (a !== undefined) {
    vars[`${v}_ZONE`] = l.displayZone;
    vars[`${v}_IP`] = a;
    if (l.allow) {
      vars[v] = "";
      vars[`ALLOW_${allowCount.n++}`] = v;
      if (txt) vars[`${v}_TXT`] = txt;
    } else if (l.msg && l.msg !== "*") {
      vars[v] = message(l.msg, remoteIp);
    } else if (txt) {
      vars[v] = txt;
      vars[`${v}_TXT`] = txt;
    } else {
      vars[v] = message(`Blacklisted by ${l.zone}`, remoteIp);
    }
    return true;
  }
  // tcpd.c's "last chance": only a TXT record, and no particular A record was asked for
  if (!l.ip && txt) {
    vars[v] = l.allow ? "" : txt;
    vars[`${v}_TXT`] = txt;
    vars[`${v}_ZONE`] = l.displayZone;
    return true;
  }
  return false;
}

/**
 * Runs every list for `remoteIp`, adding to `vars`. A list is skipped when its variable is
 * already set in `vars` or in `inherited` (couriertcpd's own environment). The queries are
 * sent together, so the whole step takes at most one lookup's time.
 */
export async function checkDnsLists(
  lists: DnsList[],
  remoteIp: string,
  vars: Record<string, string>,
  lookup: Lookup,
  inherited: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const isSet = (v: string) => v in vars || inherited[v] !== undefined;
  const pending = lists.map((l) => {
    if (isSet(l.variable)) return undefined;
    const name = queryName(remoteIp, l.zone);
    return name === undefined ? undefined : lookup(name, l.zone, wantsTxt(l));
  });
  const allowCount = { n: 0 };
  for (const [i, l] of lists.entries()) {
    const p = pending[i];
    if (!p) continue;
    const answer = await p;
    if (isSet(l.variable)) continue;
    applyAnswer(l, answer, remoteIp, vars, allowCount);
  }
}

/** Not listed: the name or the record type does not exist. */
const NOT_LISTED = new Set(["ENOTFOUND", "ENODATA", "NXDOMAIN", "ENONAME"]);

export const DEFAULT_DNS_TIMEOUT_MS = 5000;

/**
 * A node:dns lookup with a bounded time. `server` ("ip" or "ip:port", "[ip6]:port") replaces
 * the system's resolvers (COURIERTCPD_DNS_SERVER). Failures (timeout, SERVFAIL, refused) count
 * as "not listed" and are logged once per zone until a lookup in that zone succeeds again.
 */
export function dnsLookup(
  log: (line: string) => void,
  opts: { server?: string; timeoutMs?: number } = {},
): Lookup {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_DNS_TIMEOUT_MS;
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  if (opts.server) resolver.setServers([opts.server]);
  const failing = new Set<string>();

  const bounded = <T>(p: Promise<T>): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error("timeout"), { code: "ETIMEOUT" })), timeoutMs);
    });
    return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
  };

  const query = async <T>(name: string, zone: string, q: () => Promise<T>): Promise<T | undefined> => {
    try {
      const r = await bounded(q());
      failing.delete(zone);
      return r;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? "";
      if (NOT_LISTED.has(code)) {
        failing.delete(zone);
        return undefined;
      }
      if (!failing.has(zone)) {
        failing.add(zone);
        log(`WARN: DNS lookup of ${name} failed (${code || (e as Error).message}), treated as not listed`);
      }
      return undefined;
    }
  };

  return async (name, zone, wantTxt) => {
    const [a, txt] = await Promise.all([
      query(name, zone, () => resolver.resolve4(name)),
      wantTxt ? query(name, zone, () => resolver.resolveTxt(name)) : undefined,
    ]);
    return { a: a ?? [], txt: txt?.[0]?.[0] };
  };
}
