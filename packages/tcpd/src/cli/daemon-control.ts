// couriertcpd -pid=<file> [-stop|-restart]: Courier's pid file + <file>.lock protocol
// (shared with courierlogger and authdaemond through @courier-imap/courierlogger).
//   -pid=F portlist prog   runs in the background: F holds our PID, F.lock stays locked;
//                          returns once listening (exit 1 with the reason if it cannot);
//                          a second start with the same F does nothing.
//   -pid=F -stop           SIGTERM, then SIGKILL every 10 s until the lock is free.
//   -pid=F -restart        SIGHUP: the access file is read again.

import {
  claimPidFile,
  isDetachedChild,
  isRunning,
  reportFailed,
  reportStarted,
  restartDaemon,
  startDetached,
  stopDaemon,
} from "@courier-imap/courierlogger";
import type { TcpdOptions } from "../options.js";

/** A finished run's exit status for -stop/-restart and the starting side of -pid; else undefined. */
export async function controlOrDetach(opts: TcpdOptions, argv: string[]): Promise<number | undefined> {
  if (opts.control === "stop") {
    await stopDaemon(opts.pid!);
    return 0;
  }
  if (opts.control === "restart") {
    restartDaemon(opts.pid!);
    return 0;
  }
  if (!opts.pid || isDetachedChild()) return undefined;
  if (isRunning(opts.pid)) return 0;
  const r = await startDetached(process.argv[1], argv, { stderr: "inherit" });
  if (r.ok) return 0;
  process.stderr.write(`couriertcpd: ${r.message}\n`);
  return 1;
}

/** In the background copy: takes the pid file, or exits quietly when another copy has it. */
export function claimOrExit(opts: TcpdOptions): void {
  if (!opts.pid || !isDetachedChild()) return;
  if (!claimPidFile(opts.pid)) {
    reportStarted();
    setTimeout(() => process.exit(0), 100);
    throw new AlreadyRunning();
  }
}

export class AlreadyRunning extends Error {}

export function startedInBackground(): void {
  if (isDetachedChild()) reportStarted();
}

/** Reports a failed start to the starting process; false when we are not in the background. */
export function failedInBackground(message: string): boolean {
  if (!isDetachedChild()) return false;
  reportFailed(message);
  return true;
}
