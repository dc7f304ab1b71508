// Runs courierlogger's program with its stderr on a pipe into the log pump.
//   SIGTERM/SIGINT: forwarded; SIGKILL 8 s later if the program is still alive; we exit
//                   once it has.
//   SIGHUP:         forwarded (couriertcpd reloads its access file, authdaemond its
//                   config); a program that dies of it is started again at once.
//   -respawn:       a program that exits is started again 5 s later.

import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { LinePump } from "./pump.js";
import type { LogSink } from "./syslog.js";

const SIGNUMS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
const KILL_AFTER_MS = 8_000;
const RESPAWN_DELAY_MS = 5_000;

export interface SuperviseOptions {
  program: string;
  args: string[];
  sink: LogSink;
  respawn: boolean;
  /** stdin/stdout of the program: ours (foreground) or /dev/null (daemon). */
  stdio: "inherit" | "ignore";
  /** Called once the first copy of the program is running (or failed to start). */
  onSpawn?: (error?: Error) => void;
  /** After the first spawn: e.g. drop our own privileges. */
  afterSpawn?: () => void;
}

/** Resolves with the program's exit status when it is over for good. */
export function supervise(o: SuperviseOptions): Promise<number> {
  let child: ChildProcess | undefined;
  let stopping = false;
  let hupped = false;
  let first = true;
  let lastStatus = 0;
  let resolveDone: (n: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));

  const finish = (code: number) => {
    process.off("SIGTERM", onTerm);
    process.off("SIGINT", onTerm);
    process.off("SIGHUP", onHup);
    o.sink.close();
    resolveDone(code);
  };

  const start = () => {
    hupped = false;
    const c = spawn(o.program, o.args, { stdio: [o.stdio, o.stdio, "pipe"] });
    child = c;
    const pump = new LinePump(o.sink);
    c.stderr!.on("data", (d: Buffer) => pump.push(d));
    let spawned = false;
    c.once("spawn", () => {
      spawned = true;
      if (first) {
        first = false;
        o.onSpawn?.();
        o.afterSpawn?.();
      }
    });
    c.once("error", (e) => {
      if (spawned) return;
      if (first) {
        first = false;
        o.onSpawn?.(e);
      }
      o.sink.write(3, Buffer.from(`${o.program}: ${e.message}`));
      child = undefined;
      if (o.respawn && !stopping) setTimeout(start, RESPAWN_DELAY_MS);
      else finish(127);
    });
    // The exit status; the last stderr bytes follow on the pipe (grandchildren, like
    // couriertcpd's sessions, may hold it longer, so wait for it only briefly).
    c.once("exit", (code, sig) => {
      if (!spawned) return;
      child = undefined;
      lastStatus = code ?? 128 + (sig ? (SIGNUMS[sig] ?? 0) : 0);
      const closed = new Promise<void>((r) => (c.stderr!.closed ? r() : c.stderr!.once("close", () => r())));
      Promise.race([closed, sleep(1000)]).then(() => {
        pump.end();
        if (stopping) return finish(lastStatus);
        if (hupped) return start();
        if (o.respawn) setTimeout(() => !stopping && start(), RESPAWN_DELAY_MS);
        else finish(lastStatus);
      });
    });
  };

  const onTerm = () => {
    if (stopping) return;
    stopping = true;
    if (!child) return finish(lastStatus);
    const c = child;
    c.kill("SIGTERM");
    setTimeout(
      () => c.exitCode === null && c.signalCode === null && c.kill("SIGKILL"),
      KILL_AFTER_MS,
    ).unref();
  };
  const onHup = () => {
    if (!child) return;
    hupped = true;
    child.kill("SIGHUP");
  };
  process.on("SIGTERM", onTerm);
  process.on("SIGINT", onTerm);
  process.on("SIGHUP", onHup);
  start();
  return done;
}
