import { claimRunFiles, restart, runFiles, STARTED, start, stop, syslogSink } from "../lifecycle.js";
import { ConfigError } from "../rcfile.js";
import { defaultConfigFile, loadSettings } from "../settings.js";
import { runSupervisor } from "../supervisor.js";

const HELP = `NAME
    authdaemond - Courier authentication daemon

SYNOPSIS
    authdaemond [--config FILE] start | stop | restart
    authdaemond [--config FILE] [--foreground]

DESCRIPTION
    Answers the authdaemon protocol on <authdaemonvar>/socket through a pool
    of child processes that try the modules of authmodulelist in order.

    start    starts the daemon in the background unless one is running
             (then it does nothing and exits 0). Its log lines go to syslog as
             courierlogger sends them: ident authdaemond, facility mail
             (LOGGEROPTS="-name=N -facility=F" in authdaemonrc change them), priority from the ERR:/WARN:/INFO:/
             DEBUG: prefix. Writes <authdaemonvar>/pid and holds a lock on
             <authdaemonvar>/pid.lock while running.
    stop     sends SIGTERM (then SIGKILL every 10 s) and waits until the
             daemon has exited. Exit 0 also when it was not running.
    restart  sends SIGHUP when running: authdaemonrc is re-read and the
             children are replaced; requests in progress are answered first.

    Without a command (or with --foreground) the daemon runs in the
    foreground and logs Courier-style lines (INFO:, ERR:, DEBUG:) on
    standard error, for systemd (Type=simple) and for testing.

    SIGHUP re-reads authdaemonrc; SIGTERM or SIGINT stops the children and
    exits. A child that dies is replaced.

OPTIONS
    --config FILE   configuration file (default: $AUTHDAEMONRC, else
                    /etc/courier/authdaemonrc).
    --help          this text.

CONFIGURATION (authdaemonrc: NAME=value or NAME="value", # comments)
    authmodulelist  modules tried in order (default "authuserdb"). Built in:
                    authuserdb, authpwd, authshadow, authpam, authcustom;
                    authldap, authmysql, authpgsql when their packages are
                    installed. Others are logged and skipped. authinfo lists
                    them.
    daemons         number of child processes (default 1).
    authdaemonvar   socket directory (default $AUTHDAEMONVAR, else
                    /run/courier/authdaemon); created with mode 0750.
    USERDB          userdb source path; authuserdb reads USERDB.dat and
                    USERDBshadow.dat (default $USERDB, else /etc/courier/userdb).
    AUTHCUSTOM      absolute path of the site's authcustom module (.mjs/.js).
    DEBUG_LOGIN     0, 1 (debug) or 2 (debug with passwords).
    DEFAULTOPTIONS  account options merged into every reply.
    For DEBUG_LOGIN and DEFAULTOPTIONS the environment wins over the file.
`;

function loggerOpts(configFile: string): string {
  try {
    return loadSettings(configFile).loggerOpts;
  } catch {
    return "";
  }
}

async function daemon(configFile: string): Promise<number> {
  if (!claimRunFiles(runFiles(configFile))) {
    process.send?.("authdaemond-running");
    return 0;
  }
  const sink = syslogSink(loggerOpts(configFile));
  const ready = () => {
    process.send?.(STARTED);
    process.disconnect?.();
  };
  const code = await runSupervisor({ configFile, logSink: sink, onReady: ready });
  process.exit(code); // the logger pipe would keep the process alive
}

export async function main(argv: string[]): Promise<number> {
  let configFile = defaultConfigFile();
  let command = "";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") {
      process.stdout.write(HELP);
      return 0;
    }
    if (a === "--foreground") continue;
    if (a === "--config" && argv[i + 1] !== undefined) configFile = argv[++i];
    else if (a.startsWith("--config=")) configFile = a.slice(9);
    else if (["start", "stop", "restart", "--daemon"].includes(a) && !command) command = a;
    else {
      process.stderr.write(`authdaemond: unknown argument ${a} (see authdaemond --help)\n`);
      return 1;
    }
  }
  try {
    if (command === "start") return await start(configFile, process.argv[1]);
    if (command === "stop") return await stop(configFile);
    if (command === "restart") return restart(configFile);
    if (command === "--daemon") return await daemon(configFile);
    return await runSupervisor({ configFile });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`ERR: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
