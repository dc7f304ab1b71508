// courierlogger's command line (spec/pop3d-and-tcpd.md §6): single-dash options, `-name=value`,
// parsing stops at the first argument that is not an option.

export interface LoggerOptions {
  name?: string;
  facility: string;
  pid?: string;
  user?: string;
  group?: string;
  droproot: boolean;
  respawn: boolean;
  action?: "start" | "stop" | "restart";
  /** Ours: append the lines to this file instead of sending them to syslog. */
  file?: string;
  program?: string;
  args: string[];
}

export class UsageError extends Error {}

export const USAGE = `Usage: courierlogger [-name=name] [-pid=pidfile] [-facility=type]
       [-start|-stop|-restart] [cmd [args...]]`;

export function parseLoggerOptions(argv: string[]): LoggerOptions {
  const o: LoggerOptions = { facility: "mail", droproot: false, respawn: false, args: [] };
  let i = 0;
  for (; i < argv.length && argv[i].startsWith("-"); i++) {
    const a = argv[i];
    const eq = a.indexOf("=");
    const name = eq < 0 ? a.slice(1) : a.slice(1, eq);
    const value = eq < 0 ? "" : a.slice(eq + 1);
    switch (name) {
      case "name":
        o.name = value;
        break;
      case "facility":
        o.facility = value;
        break;
      case "pid":
        o.pid = value;
        break;
      case "user":
        o.user = value;
        break;
      case "group":
        o.group = value;
        break;
      case "file":
        o.file = value;
        break;
      case "droproot":
        o.droproot = true;
        break;
      case "respawn":
        o.respawn = true;
        break;
      case "start":
      case "stop":
      case "restart":
        o.action = name;
        break;
      default:
        throw new UsageError(`Unknown option '${a}'`);
    }
  }
  [o.program, ...o.args] = argv.slice(i);
  if (o.action && !o.pid) throw new UsageError(USAGE);
  if (o.pid && !o.action) o.action = "start";
  if (o.action === "start" && !o.program) throw new UsageError(USAGE);
  if (!o.action && !o.program && !o.name) throw new UsageError(USAGE);
  return o;
}
