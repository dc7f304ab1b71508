import { Listener } from "../listener.js";
import { parseOptions, UsageError } from "../options.js";

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
  -nodnslookup, -noidentlookup, -proxy   accepted and ignored

SIGTERM or SIGINT stops listening and sends SIGTERM to every running program.
`;

export async function main(argv: string[]): Promise<number | undefined> {
  if (argv.includes("--help") || argv.includes("-help")) {
    process.stdout.write(HELP);
    return 0;
  }
  let listener: Listener;
  try {
    listener = new Listener(parseOptions(argv));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`couriertcpd: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  await listener.start();
  const shutdown = () => {
    listener.stop().then(() => process.exit(0));
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  return undefined;
}
