// couriertcpd's command line (spec/pop3d-and-tcpd.md §5.1-5.2): single-dash options matched
// by exact name, `-name=value`, parsing stops at the first non-option argument.

import { type DnsList, DnsListError, parseDnsList } from "./dnsbl.js";
import { type HaproxyRule, parseHaproxy } from "./haproxy.js";

export interface TcpdOptions {
  maxprocs: number;
  maxperip: number;
  maxperc: number;
  warn: number;
  /** Idle workers kept started, waiting for a connection over IPC (ours; 0 = off). */
  prespawn: number;
  address?: string;
  stderr?: string;
  /** -access=<file>: the access database (or its source); -accesslocal also checks the local address. */
  access?: string;
  accesslocal: boolean;
  denymsg?: string;
  /** -block and -allow, in command-line order. */
  dnsLists: DnsList[];
  /** -drop: close connections where any of these variables is non-empty (default BLOCK). */
  drop?: string[];
  user?: string;
  group?: string;
  haproxy?: HaproxyRule[];
  pid?: string;
  /** With -pid and no portlist: -stop or -restart the running daemon. */
  control?: "stop" | "restart";
  stderrlogger?: string;
  stderrloggername?: string;
  ports: string;
  program: string;
  args: string[];
}

export class UsageError extends Error {}

/** Options we accept and ignore: reverse DNS (TCPREMOTEHOST) and IDENT lookups are never done, SOCKS is gone. */
const IGNORED = new Set(["nodnslookup", "noidentlookup", "proxy"]);

function positive(name: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n <= 0) throw new UsageError(`-${name} must be a positive number: ${value}`);
  return n;
}

export function parseOptions(argv: string[]): TcpdOptions {
  const o: Partial<TcpdOptions> & {
    maxprocs: number;
    maxperip: number;
    prespawn: number;
    accesslocal: boolean;
    dnsLists: DnsList[];
  } = {
    maxprocs: 40,
    maxperip: 4,
    prespawn: 0,
    accesslocal: false,
    dnsLists: [],
  };
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === "-") {
      i++;
      break;
    }
    if (!a.startsWith("-")) break;
    const eq = a.indexOf("=");
    const name = eq < 0 ? a.slice(1) : a.slice(1, eq);
    const value = eq < 0 ? "" : a.slice(eq + 1);
    switch (name) {
      case "maxprocs":
        o.maxprocs = positive(name, value);
        break;
      case "maxperip":
        o.maxperip = positive(name, value);
        break;
      case "maxperc":
        o.maxperc = positive(name, value);
        break;
      case "warn":
        o.warn = positive(name, value);
        break;
      case "prespawn":
        o.prespawn = value === "0" ? 0 : positive(name, value);
        break;
      case "listen":
        positive(name, value);
        break;
      case "address":
        o.address = value;
        break;
      case "stderr":
        o.stderr = value;
        break;
      case "access":
        o.access = value;
        break;
      case "accesslocal":
        o.accesslocal = true;
        break;
      case "denymsg":
        o.denymsg = value;
        break;
      case "block":
      case "allow":
        try {
          o.dnsLists.push(parseDnsList(value, name === "allow"));
        } catch (e) {
          if (e instanceof DnsListError) throw new UsageError(e.message);
          throw e;
        }
        break;
      case "drop":
        o.drop = value ? value.split(",") : ["BLOCK"];
        break;
      case "user":
        o.user = value;
        break;
      case "group":
        o.group = value;
        break;
      case "haproxy":
        try {
          o.haproxy = parseHaproxy(value);
        } catch (e) {
          throw new UsageError((e as Error).message);
        }
        break;
      case "pid":
        o.pid = value;
        break;
      case "stop":
      case "restart":
        o.control = name;
        break;
      case "stderrlogger":
        o.stderrlogger = value;
        break;
      case "stderrloggername":
        o.stderrloggername = value;
        break;
      default:
        if (IGNORED.has(name)) break;
        throw new UsageError(`Invalid option: ${a}`);
    }
  }
  const [ports, program, ...args] = argv.slice(i);
  if (o.control && !o.pid) throw new UsageError(`-${o.control} needs -pid=<file>`);
  if (o.accesslocal && !o.access) throw new UsageError("-accesslocal needs -access=<file>");
  if (o.control) return { ...o, maxperc: o.maxprocs, warn: 0, ports: "", program: "", args: [] };
  if (!ports || !program) throw new UsageError("usage: couriertcpd [options] portlist program [arg ...]");
  return {
    ...o,
    maxperc: o.maxperc ?? o.maxprocs,
    warn: o.warn ?? o.maxprocs - (Math.floor(o.maxprocs / 10) + 1),
    ports,
    program,
    args,
  };
}

export interface ListenAddress {
  host?: string;
  port: number;
}

/** `143,127.0.0.1.1143`: each entry `[addr.]port`, split at the last dot; `0` = default address. */
export function parsePortList(list: string, defaultAddress?: string): ListenAddress[] {
  return list.split(",").map((entry) => {
    const dot = entry.lastIndexOf(".");
    const addr = dot < 0 ? undefined : entry.slice(0, dot);
    const portText = dot < 0 ? entry : entry.slice(dot + 1);
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`invalid port: ${entry}`);
    const host =
      addr && addr !== "0" ? addr : defaultAddress && defaultAddress !== "0" ? defaultAddress : undefined;
    return { host, port };
  });
}
