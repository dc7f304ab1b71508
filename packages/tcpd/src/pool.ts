// Pre-started idle workers (-prespawn=N): a Node worker takes tens of milliseconds to start,
// so a few wait ready and the listener hands each new connection to one over IPC. A worker
// still serves exactly one connection; the pool starts a replacement once one is taken.
//
// Not at once, though: starting Node costs the listener a fork and the machine some 60 ms of
// CPU, which the new connection's greeting and LOGIN would wait behind (bench, load ~13 on 2
// CPUs: greeting p50 11.7 -> 7.4 ms, LOGIN 21 -> 15 ms with the replacement REPLACE_DELAY_MS
// later). A connection that finds the pool empty meanwhile gets a worker of its own.

import { type ChildProcess, spawn } from "node:child_process";
import type { Socket } from "node:net";
import { type Handoff, POOL_ENV } from "./handoff.js";

import type { Log } from "./listener.js";

/** Workers that die before becoming ready this many times in a row disable the pool. */
const MAX_EARLY_DEATHS = 5;

/** How long after a handover its replacement starts. */
export const REPLACE_DELAY_MS = 30;

export class WorkerPool {
  private ready: ChildProcess[] = [];
  private starting = new Set<ChildProcess>();
  private earlyDeaths = 0;
  private disabled = false;
  private refill?: NodeJS.Timeout;

  constructor(
    readonly size: number,
    private readonly program: string,
    private readonly args: string[],
    private readonly stderr: "inherit" | number,
    private readonly log: Log,
  ) {}

  get enabled(): boolean {
    return !this.disabled && this.size > 0;
  }

  fill(): void {
    clearTimeout(this.refill);
    this.refill = undefined;
    while (this.enabled && this.ready.length + this.starting.size < this.size) this.startOne();
  }

  private startOne(): void {
    const child = spawn(this.program, this.args, {
      stdio: ["ignore", "ignore", this.stderr, "ipc"],
      env: { ...process.env, [POOL_ENV]: "1" },
    });
    this.starting.add(child);
    child.on("message", (m: { type?: string }) => {
      if (m?.type !== "ready" || !this.starting.delete(child)) return;
      this.earlyDeaths = 0;
      this.ready.push(child);
    });
    child.on("error", (e) => this.log(`ERR: ${this.program}: ${e.message}`));
    child.on("exit", () => {
      const wasStarting = this.starting.delete(child);
      const idle = this.ready.indexOf(child);
      if (idle >= 0) this.ready.splice(idle, 1);
      if (!wasStarting && idle < 0) return;
      if (wasStarting && ++this.earlyDeaths >= MAX_EARLY_DEATHS) {
        this.disabled = true;
        this.log(`ERR: ${this.program} keeps exiting before it is ready; not pre-starting workers`);
        return;
      }
      setTimeout(() => this.fill(), wasStarting ? 200 : 0);
    });
  }

  /**
   * Hands `sock` to a ready worker and returns it, or returns undefined when none is ready
   * (the caller then starts a worker for this connection the ordinary way).
   */
  handOver(sock: Socket, env: Record<string, string>, onFail: (e: Error) => void): ChildProcess | undefined {
    const child = this.ready.shift();
    if (!child) return undefined;
    const msg: Handoff = { type: "connection", env };
    child.send(msg, sock, { keepOpen: false }, (err) => {
      if (err) onFail(err);
    });
    this.refill ??= setTimeout(() => this.fill(), REPLACE_DELAY_MS);
    return child;
  }

  stop(): void {
    this.disabled = true;
    clearTimeout(this.refill);
    for (const c of [...this.ready, ...this.starting]) c.kill("SIGTERM");
    this.ready = [];
    this.starting.clear();
  }
}
