import { basename } from "node:path";
import { isDetachedChild, reportFailed, reportStarted, startDetached } from "../detach.js";
import { type LoggerOptions, parseLoggerOptions, UsageError } from "../options.js";
import { claimPidFile, isRunning, restartDaemon, stopDaemon, writePidFile } from "../pidlock.js";
import { dropPrivileges } from "../privileges.js";
import { LinePump } from "../pump.js";
import { supervise } from "../supervise.js";
import { FileLog, type LogSink, Syslog } from "../syslog.js";

const HELP = `courierlogger - send a program's error output to syslog

Usage: courierlogger [options] program [arg ...]
       courierlogger [options] -name=NAME            (logs its own standard input)
       courierlogger -pid=FILE -start [options] program [arg ...]
       courierlogger -pid=FILE -stop | -restart

Each line the program writes to standard error becomes one syslog message
(lines over 511 bytes are split). A leading ERR:, WARN:, ALERT:, CRIT:, DEBUG:
or INFO: selects the priority (else info) and is removed.

Options:
  -name=NAME      syslog ident (default: the program's file name)
  -facility=F     syslog facility: mail (default), daemon, auth, local0..7, ...
  -pid=FILE       run as a daemon: FILE gets our PID, FILE.lock is locked while
                  we run; a second start with the same FILE does nothing
  -start          start the daemon (the default with -pid)
  -stop           SIGTERM the daemon (it passes it to the program and SIGKILLs
                  it after 8 s); SIGKILL every 10 s until it is gone
  -restart        SIGHUP the daemon, which passes it to the program (a program
                  killed by it is started again)
  -respawn        start the program again 5 s after it exits
  -user=U -group=G   drop our own privileges after starting the program
  -droproot       drop them before starting it (the program runs as U/G too)
  -file=PATH      append the lines to PATH instead of syslog (ours)

Environment: COURIER_SYSLOG_SOCKET overrides /dev/log.
`;

function sinkFor(o: LoggerOptions): LogSink {
  const ident = o.name || (o.program ? basename(o.program) : "courierlogger");
  return o.file ? new FileLog(ident, o.file) : new Syslog(ident, o.facility);
}

/** Foreground without a program: `prog 2>&1 | courierlogger -name=x`. */
function pumpStdin(sink: LogSink): Promise<number> {
  const pump = new LinePump(sink);
  return new Promise((resolve) => {
    process.stdin.on("data", (d: Buffer) => pump.push(d));
    process.stdin.on("end", () => {
      pump.end();
      sink.close();
      resolve(0);
    });
  });
}

function runProgram(o: LoggerOptions, sink: LogSink, daemon: boolean): Promise<number> {
  const id = { user: o.user, group: o.group };
  if (o.droproot) dropPrivileges(id);
  return supervise({
    program: o.program!,
    args: o.args,
    sink,
    respawn: o.respawn,
    stdio: daemon ? "ignore" : "inherit",
    onSpawn: (e) => {
      if (!daemon) return;
      if (e) return reportFailed(`${o.program}: ${e.message}`);
      writePidFile(o.pid!, process.pid);
      reportStarted();
    },
    afterSpawn: () => {
      if (!o.droproot) dropPrivileges(id);
    },
  });
}

async function daemonChild(o: LoggerOptions, sink: LogSink): Promise<number> {
  if (!claimPidFile(o.pid!)) {
    // another instance runs: a second start succeeds quietly
    reportStarted();
    return 0;
  }
  return runProgram(o, sink, true);
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === "--help" || argv[0] === "-help") {
    process.stdout.write(HELP);
    return 0;
  }
  let o: LoggerOptions;
  let sink: LogSink;
  try {
    o = parseLoggerOptions(argv);
    sink = sinkFor(o);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  if (o.action === "stop") {
    await stopDaemon(o.pid!);
    return 0;
  }
  if (o.action === "restart") {
    restartDaemon(o.pid!);
    return 0;
  }
  if (o.action === "start") {
    if (isDetachedChild()) return exitWhenDone(daemonChild(o, sink));
    if (isRunning(o.pid!)) return 0;
    const r = await startDetached(process.argv[1], argv, { stderr: "ignore" });
    if (r.ok) return 0;
    process.stderr.write(`courierlogger: ${r.message}\n`);
    return 1;
  }
  return exitWhenDone(o.program ? runProgram(o, sink, false) : pumpStdin(sink));
}

/** The pipes of a program's own children must not keep us alive once it is over. */
async function exitWhenDone(p: Promise<number>): Promise<number> {
  const code = await p;
  process.exit(code);
}

export { UsageError };
