// What couriertcpd decides for one accepted connection before a worker runs: its addresses
// (from the socket, or from a PROXY header), the access-file verdict, -drop, and the
// environment the worker gets (spec/pop3d-and-tcpd.md §5.4 steps 4-7).

import type { Socket } from "node:net";
import type { AccessDb } from "./access.js";
import { courierIp } from "./address.js";
import { type HaproxyRule, readProxyHeader, ruleFor } from "./haproxy.js";

export interface Peer {
  remoteIp: string;
  remotePort: number;
  localIp: string;
  localPort: number;
  /** TCPREMOTEINFO (only for PROXY connections). */
  info?: string;
}

export function socketPeer(sock: Socket): Peer | undefined {
  if (!sock.remoteAddress) return undefined;
  return {
    remoteIp: courierIp(sock.remoteAddress),
    remotePort: sock.remotePort ?? 0,
    localIp: courierIp(sock.localAddress ?? ""),
    localPort: sock.localPort ?? 0,
  };
}

/** The peer as the PROXY header states it, when a -haproxy rule covers this listener. */
export async function proxiedPeer(sock: Socket, peer: Peer, rules: HaproxyRule[]): Promise<Peer> {
  const rule = ruleFor(rules, peer.localIp, peer.localPort);
  if (!rule) return peer;
  const fd = (sock as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== "number" || fd < 0) throw new Error("haproxy: no socket descriptor");
  const h = await readProxyHeader(fd, rule.timeoutMs);
  return {
    remoteIp: courierIp(h.remoteIp),
    remotePort: h.remotePort,
    localIp: courierIp(h.localIp),
    localPort: h.localPort,
    info: `proxy via ${peer.localIp}, port ${peer.localPort}`,
  };
}

export type Decision =
  | { kind: "allow"; vars: Record<string, string> }
  | { kind: "silent" }
  | { kind: "deny" };

/** The access-file verdict (§5.4 step 4); -drop is checked later, after the DNS lists. */
export function decide(peer: Peer, db: AccessDb | undefined, accesslocal: boolean): Decision {
  const vars: Record<string, string> = {};
  if (db) {
    if (accesslocal) {
      const l = db.local(peer.localIp, peer.localPort);
      if (l?.deny) return { kind: "silent" };
      Object.assign(vars, l?.vars);
    }
    const r = db.remote(peer.remoteIp);
    if (r?.deny) return { kind: "deny" };
    Object.assign(vars, r?.vars);
  }
  return { kind: "allow", vars };
}

/** -drop: the first named variable that is non-empty (set here or inherited), if any. */
export function dropVariable(
  vars: Record<string, string>,
  drop: string[] | undefined,
  inherited: NodeJS.ProcessEnv = process.env,
): string | undefined {
  return drop?.find((v) => (v in vars ? vars[v] : inherited[v]));
}

export function tcpEnv(peer: Peer): Record<string, string> {
  const env: Record<string, string> = {
    TCPREMOTEIP: peer.remoteIp,
    TCPREMOTEPORT: String(peer.remotePort),
    TCPLOCALIP: peer.localIp,
    TCPLOCALPORT: String(peer.localPort),
  };
  if (peer.info) env.TCPREMOTEINFO = peer.info;
  return env;
}
