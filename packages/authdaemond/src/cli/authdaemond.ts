import { ConfigError } from "../rcfile.js";
import { defaultConfigFile } from "../settings.js";
import { runSupervisor } from "../supervisor.js";

const HELP = `NAME
    authdaemond - Courier authentication daemon

SYNOPSIS
    authdaemond [--foreground] [--config FILE]

DESCRIPTION
    Runs in the foreground, logging Courier-style lines (INFO:, ERR:, DEBUG:)
    on standard error, and answers the authdaemon protocol on
    <authdaemonvar>/socket through a pool of child processes. Start/stop and
    syslog are left to the init system (systemd, or courierlogger).

    SIGHUP re-reads authmodulelist and daemons and restarts the children;
    SIGTERM or SIGINT stops them and exits. A child that dies is replaced.

OPTIONS
    --config FILE   configuration file (default: $AUTHDAEMONRC, else
                    /etc/courier/authdaemonrc).
    --foreground    accepted for clarity; the daemon never detaches.
    --help          this text.

CONFIGURATION (authdaemonrc: NAME=value or NAME="value", # comments)
    authmodulelist  modules tried in order (default "authuserdb"). Built in:
                    authuserdb; authldap, authmysql, authpgsql when their
                    packages are installed. Others are logged and skipped.
    daemons         number of child processes (default 1).
    authdaemonvar   socket directory (default $AUTHDAEMONVAR, else
                    /run/courier/authdaemon); created with mode 0750.
    USERDB          userdb source path; authuserdb reads USERDB.dat and
                    USERDBshadow.dat (default $USERDB, else /etc/courier/userdb).
    DEBUG_LOGIN     0, 1 (debug) or 2 (debug with passwords).
    DEFAULTOPTIONS  account options merged into every reply.
    For DEBUG_LOGIN and DEFAULTOPTIONS the environment wins over the file.
`;

export async function main(argv: string[]): Promise<number> {
  let configFile = defaultConfigFile();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") {
      process.stdout.write(HELP);
      return 0;
    }
    if (a === "--foreground") continue;
    if (a === "--config" && argv[i + 1] !== undefined) configFile = argv[++i];
    else if (a.startsWith("--config=")) configFile = a.slice(9);
    else {
      const hint = ["start", "stop", "restart"].includes(a)
        ? "authdaemond does not daemonize itself; run it in the foreground under your init system"
        : `unknown argument ${a} (see authdaemond --help)`;
      process.stderr.write(`authdaemond: ${hint}\n`);
      return 1;
    }
  }
  try {
    return await runSupervisor({ configFile });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`ERR: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
