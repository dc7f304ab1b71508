// -stderrlogger=<prog>: one logger process (`<prog> <name>`) reads the standard error of
// every worker, instead of each worker writing to ours. Restarted if it dies.

import { type ChildProcess, spawn } from "node:child_process";
import type { Log } from "./listener.js";

export class StderrLogger {
  private child?: ChildProcess;
  private stopped = false;

  constructor(
    private readonly program: string,
    private readonly name: string,
    private readonly log: Log,
  ) {
    this.start();
  }

  private start(): void {
    const c = spawn(this.program, [this.name], { stdio: ["pipe", "ignore", "inherit"] });
    c.stdin!.on("error", () => {});
    c.on("error", (e) => this.log(`ERR: ${this.program}: ${e.message}`));
    c.on("exit", () => {
      if (this.child === c) this.child = undefined;
      if (!this.stopped) setTimeout(() => this.start(), 1000).unref();
    });
    this.child = c;
  }

  /** The pipe's descriptor for a worker's fd 2, or undefined while the logger restarts. */
  fd(): number | undefined {
    const h = (this.child?.stdin as unknown as { _handle?: { fd?: number } } | undefined)?._handle;
    return typeof h?.fd === "number" && h.fd >= 0 ? h.fd : undefined;
  }

  stop(): void {
    this.stopped = true;
    this.child?.stdin?.end();
  }
}
