import { dropPrivileges } from "@courier-imap/courierlogger";
import { AccessSourceError } from "../access-load.js";
import { Listener } from "../listener.js";
import { parseOptions, type TcpdOptions, UsageError } from "../options.js";
import {
  AlreadyRunning,
  claimOrExit,
  controlOrDetach,
  failedInBackground,
  startedInBackground,
} from "./daemon-control.js";
import { TLS_HELP, tlsStartupCheck } from "./tls-startup.js";

const HELP = `couriertcpd - accept TCP connections and run one program per connection

Usage: couriertcpd [options] portlist program [arg ...]

Listens on every entry of portlist (comma-separated "port" or "address.port";
address 0 or none means -address, else all addresses, IPv6 and IPv4). For each
connection it starts program with the connection as its standard input and
output and TCPREMOTEIP, TCPREMOTEPORT, TCPLOCALIP, TCPLOCALPORT set.

Options:
  -maxprocs=N     at most N connections at once (default 40); more wait
  -maxperip=N     at most N connections from one address (default 4)
  -maxperc=N      at most N connections from one C block (default maxprocs)
  -warn=N         log a warning above N active connections
  -prespawn=N     keep N workers started and idle; each new connection is
                  handed to one over IPC (the program must support it, as
                  imapd and pop3d do), so no client waits for a process start
  -address=IP     default listen address for entries without one
  -stderr=socket  the program's stderr goes to the connection
  -stderr=FILE    the program's stderr is appended to FILE
  -listen=N       accepted for compatibility (the backlog is fixed)
  -access=FILE    access database made by makedat (or its text source, a
                  file or directory): per address or prefix (192.168.0,
                  :2001:0db8, *), "deny" or "allow,VAR=value,..." whose
                  variables go into the program's environment (MAXCPERIP=N
                  raises -maxperip for that address); SIGHUP re-reads it
  -accesslocal    also look up the local address (ip.port, ip, *.port);
                  "deny" closes silently
  -denymsg=TEXT   sent (plus a newline) before closing a denied connection
  -block=ZONE[=DISPLAY][,VAR[/IP][,MSG]]   DNS block list: when the client's
                  address is listed in ZONE (d.c.b.a.ZONE, IPv6 in reversed
                  nibbles) set VAR (default BLOCK) to MSG ("@" = the client's
                  address), to the TXT record when MSG is "*", else to
                  "Blacklisted by ZONE"; also VAR_IP (the A record), VAR_TXT,
                  VAR_ZONE (DISPLAY, else ZONE). /IP: only that A record counts
  -allow=ZONE[=DISPLAY][,VAR[/IP][,]]   DNS allow list: a listed client gets
                  VAR (default BLOCK) set empty and ALLOW_n=VAR; a trailing ","
                  also fetches the TXT record into VAR_TXT
                  Lists are checked in command-line order after the access
                  file; one whose VAR is already set is skipped. A DNS failure
                  or timeout counts as not listed (logged once per zone).
                  COURIERTCPD_DNS_SERVER=IP[:PORT] sends these queries to that
                  server instead of the system's (tests, a local rbldnsd);
                  COURIERTCPD_DNS_TIMEOUT_MS bounds each lookup (default 5000)
  -drop[=VAR,...] close a connection when a variable (default BLOCK) is set
                  non-empty by the access file or a DNS list; logs
                  WARN: dropped blocked connection from IP
  -haproxy[=[SECS][/port=[IP.]PORT],...]   connections (to PORT) start with
                  a PROXY v1 line (default 15 s timeout) whose addresses
                  replace the socket's; TCPREMOTEINFO says "proxy via ..."
  -user=U -group=G   drop to U (and its groups) / G after binding the ports
  -pid=FILE       run in the background; FILE gets the PID, FILE.lock is
                  locked while running; a second start does nothing
  -pid=FILE -stop      stop it (SIGTERM, then SIGKILL every 10 s)
  -pid=FILE -restart   SIGHUP it (re-read the access file)
  -stderrlogger=PROG   run "PROG NAME" once and send every program's stderr
                  to it; NAME is -stderrloggername=NAME or program's name
  -nodnslookup, -noidentlookup, -proxy   accepted and ignored

IPv4 clients appear as ::ffff:a.b.c.d in TCPREMOTEIP, TCPLOCALIP and logs,
as with Courier's IPv6-capable build.

${TLS_HELP}
SIGTERM or SIGINT stops listening and sends SIGTERM to every running program.
`;

export async function main(argv: string[]): Promise<number | undefined> {
  if (argv.includes("--help") || argv.includes("-help")) {
    process.stdout.write(HELP);
    return 0;
  }
  let listener: Listener;
  let opts: TcpdOptions;
  try {
    opts = parseOptions(argv);
    const done = await controlOrDetach(opts, argv);
    if (done !== undefined) return done;
    claimOrExit(opts);
    listener = new Listener(opts);
  } catch (e) {
    if (e instanceof AlreadyRunning) return undefined;
    if (e instanceof UsageError || e instanceof AccessSourceError) {
      process.stderr.write(`couriertcpd: ${e.message}\n`);
      failedInBackground(e.message);
      return 1;
    }
    throw e;
  }
  const tlsExit = tlsStartupCheck();
  if (tlsExit !== undefined) {
    failedInBackground("bad TLS settings");
    return tlsExit;
  }
  try {
    await listener.start();
    dropPrivileges({ user: opts.user, group: opts.group });
  } catch (e) {
    // in the background copy the starting process prints the reason
    if (failedInBackground((e as Error).message)) return 1;
    throw e;
  }
  startedInBackground();
  const shutdown = () => {
    listener.stop().then(() => process.exit(0));
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  process.on("SIGHUP", () => listener.reloadAccess());
  return undefined;
}
