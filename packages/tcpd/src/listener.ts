// The accept loop: one worker process per connection, the socket handed over as its fd 0/1
// (spec/pop3d-and-tcpd.md §5.4), with the TCP* environment a Courier worker expects, after
// the PROXY header (-haproxy), the access file (-access, -accesslocal, -denymsg), the
// per-address limits, the DNS lists (-block, -allow) and -drop.

import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { AccessDb } from "./access.js";
import { decide, dropVariable, type Peer, proxiedPeer, socketPeer, tcpEnv } from "./connection-env.js";
import { checkDnsLists, DEFAULT_DNS_TIMEOUT_MS, dnsLookup, type Lookup } from "./dnsbl.js";
import { parsePortList, type TcpdOptions } from "./options.js";
import { WorkerPool } from "./pool.js";
import { Slots } from "./slots.js";
import { StderrLogger } from "./stderr-logger.js";

export type Log = (line: string) => void;

const ALERT_INTERVAL_MS = 60_000;

export class Listener {
  private servers: Server[] = [];
  private waiting: Socket[] = [];
  private children = new Set<ChildProcess>();
  private slots: Slots;
  private lastAlert = { full: 0, warn: 0 };
  private stopping = false;
  private pool?: WorkerPool;
  private access?: AccessDb;
  private accessStale = false;
  private stderrLogger?: StderrLogger;
  /** Accepted connections still in their preamble (PROXY header): they hold a slot. */
  private preamble = 0;
  /** For -block/-allow (undefined without them). */
  private dnsLookup?: Lookup;

  constructor(
    readonly opts: TcpdOptions,
    private readonly log: Log = (l) => process.stderr.write(`${l}\n`),
  ) {
    this.slots = new Slots(opts.maxperip, opts.maxperc);
    if (opts.access) this.access = AccessDb.load(opts.access, this.log);
    if (opts.dnsLists.length) {
      // COURIERTCPD_DNS_SERVER=ip[:port] and COURIERTCPD_DNS_TIMEOUT_MS: for tests and
      // sites whose DNS lists are served by a resolver other than the system's.
      const ms = Number(process.env.COURIERTCPD_DNS_TIMEOUT_MS);
      this.dnsLookup = dnsLookup(this.log, {
        server: process.env.COURIERTCPD_DNS_SERVER || undefined,
        timeoutMs: Number.isFinite(ms) && ms > 0 ? ms : DEFAULT_DNS_TIMEOUT_MS,
      });
    }
    if (opts.stderrlogger) {
      const name = opts.stderrloggername || opts.program.slice(opts.program.lastIndexOf("/") + 1);
      this.stderrLogger = new StderrLogger(opts.stderrlogger, name, this.log);
    }
    // A pre-started worker cannot have the connection as its stderr, nor a per-connection file.
    if (opts.prespawn > 0 && opts.stderr === undefined) {
      const fd = this.stderrLogger?.fd();
      this.pool = new WorkerPool(opts.prespawn, opts.program, opts.args, fd ?? "inherit", this.log);
    }
  }

  /** SIGHUP: the access file is read again when the next connection arrives. */
  reloadAccess(): void {
    this.accessStale = true;
  }

  private currentAccess(): AccessDb | undefined {
    if (this.accessStale && this.opts.access) {
      this.accessStale = false;
      try {
        this.access = AccessDb.load(this.opts.access, this.log);
      } catch (e) {
        this.log(`ERR: ${(e as Error).message}`);
      }
    }
    return this.access;
  }

  private get busy(): number {
    return this.slots.active + this.preamble;
  }

  async start(): Promise<void> {
    for (const addr of parsePortList(this.opts.ports, this.opts.address)) {
      const server = createServer({ pauseOnConnect: true }, (sock) => this.accepted(sock));
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen({ host: addr.host, port: addr.port, backlog: 511 }, () => {
          server.off("error", reject);
          resolve();
        });
      });
      server.on("error", (e) => this.log(`ERR: accept: ${e.message}`));
      this.servers.push(server);
    }
    this.pool?.fill();
  }

  /** Ports actually bound, in port-list order (useful when a port was given as 0). */
  ports(): number[] {
    return this.servers.map((s) => {
      const a = s.address();
      return typeof a === "object" && a ? a.port : 0;
    });
  }

  /** Stops accepting and sends SIGTERM to every worker, as Courier does on SIGTERM. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.pool?.stop();
    this.stderrLogger?.stop();
    for (const s of this.waiting) s.destroy();
    this.waiting = [];
    for (const c of this.children) c.kill("SIGTERM");
    await Promise.all(this.servers.map((s) => new Promise((r) => s.close(r))));
  }

  private accepted(sock: Socket): void {
    sock.on("error", () => {});
    if (this.stopping) {
      sock.destroy();
      return;
    }
    if (this.busy >= this.opts.maxprocs) {
      // Courier stops accepting and lets the kernel backlog hold the client; holding the
      // accepted socket unread until a slot frees looks the same from the client's side.
      this.waiting.push(sock);
      this.alert("full", `ALERT: ${this.slots.active} maximum active connections.`);
      return;
    }
    this.serve(sock);
  }

  private alert(kind: "full" | "warn", line: string): void {
    const now = Date.now();
    if (now - this.lastAlert[kind] < ALERT_INTERVAL_MS) return;
    this.lastAlert[kind] = now;
    this.log(line);
  }

  private serve(sock: Socket): void {
    const peer = socketPeer(sock);
    if (!peer) {
      sock.destroy();
      return;
    }
    if (!this.opts.haproxy) {
      this.admit(sock, peer);
      return;
    }
    this.preamble++;
    proxiedPeer(sock, peer, this.opts.haproxy).then(
      (p) => {
        this.preamble--;
        if (this.stopping) sock.destroy();
        else this.admit(sock, p);
      },
      (e) => {
        this.preamble--;
        this.log(`ERR: ${peer.remoteIp}: haproxy: ${(e as Error).message}`);
        sock.destroy();
        this.next();
      },
    );
  }

  /** Closes a refused connection, first sending -denymsg when one is set. */
  private refuse(sock: Socket, withMessage: boolean): void {
    if (withMessage && this.opts.denymsg !== undefined) sock.end(`${this.opts.denymsg}\n`);
    else sock.destroy();
  }

  private admit(sock: Socket, peer: Peer): void {
    const ip = peer.remoteIp;
    const d = decide(peer, this.currentAccess(), this.opts.accesslocal);
    if (d.kind === "silent") {
      sock.destroy();
      return;
    }
    if (d.kind === "deny") {
      this.refuse(sock, true);
      return;
    }
    const perIp = Number.parseInt(d.vars.MAXCPERIP ?? "", 10);
    const refusal = this.slots.refusal(ip, perIp > 0 ? perIp : undefined);
    if (refusal) {
      if (refusal === "ip") this.log(`ALERT: Maximum connection limit reached for ${ip}`);
      sock.destroy();
      return;
    }
    sock.setKeepAlive(true);

    this.slots.take(ip);
    if (this.slots.active >= this.opts.maxprocs) {
      this.alert("full", `ALERT: ${this.slots.active} maximum active connections.`);
    } else if (this.slots.active > this.opts.warn) {
      this.alert("warn", `WARN: ${this.slots.active} active connections.`);
    }

    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.slots.release(ip);
      this.next();
    };
    if (!this.dnsLookup) {
      this.launch(sock, peer, d.vars, release);
      return;
    }
    // The lookups hold this connection's slot but not the accept loop: other clients go on.
    checkDnsLists(this.opts.dnsLists, ip, d.vars, this.dnsLookup).then(
      () => this.launch(sock, peer, d.vars, release),
      (e) => {
        this.log(`ERR: ${ip}: DNS lists: ${(e as Error).message}`);
        this.launch(sock, peer, d.vars, release);
      },
    );
  }

  /** -drop, then the worker (§5.4 steps 7-8); the slot is already taken. */
  private launch(sock: Socket, peer: Peer, vars: Record<string, string>, release: () => void): void {
    if (this.stopping) {
      sock.destroy();
      release();
      return;
    }
    if (dropVariable(vars, this.opts.drop)) {
      this.log(`WARN: dropped blocked connection from ${peer.remoteIp}`);
      this.refuse(sock, true);
      release();
      return;
    }
    const env = { ...vars, ...tcpEnv(peer) };
    const child =
      this.pool?.handOver(sock, env, (e) => {
        this.log(`ERR: handing a connection to ${this.opts.program}: ${e.message}`);
        sock.destroy();
      }) ?? this.spawnFor(sock, env);
    if (!child) {
      release();
      return;
    }
    this.children.add(child);
    child.on("exit", () => {
      this.children.delete(child);
      release();
    });
  }

  /** Starts a worker with the connection as its fd 0/1 (the classic couriertcpd way). */
  private spawnFor(sock: Socket, connEnv: Record<string, string>): ChildProcess | undefined {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.TCPREMOTEHOST;
    delete env.TCPLOCALHOST;
    delete env.TCPREMOTEINFO;
    Object.assign(env, connEnv);

    let stderrFd: number | undefined;
    let stderr: "inherit" | Socket | number = this.stderrLogger?.fd() ?? "inherit";
    if (this.opts.stderr === "socket") stderr = sock;
    else if (this.opts.stderr) stderr = stderrFd = openSync(this.opts.stderr, "a", 0o660);
    try {
      const child = spawn(this.opts.program, this.opts.args, { stdio: [sock, sock, stderr], env });
      child.on("error", (e) => this.log(`ERR: ${this.opts.program}: ${e.message}`));
      return child;
    } catch (e) {
      this.log(`ERR: ${this.opts.program}: ${(e as Error).message}`);
      return undefined;
    } finally {
      if (stderrFd !== undefined) closeSync(stderrFd);
      // The worker owns the connection now; our copy of the descriptor is closed, not shut down.
      sock.destroy();
    }
  }

  private next(): void {
    while (this.waiting.length && this.busy < this.opts.maxprocs) {
      const sock = this.waiting.shift()!;
      if (!sock.destroyed) this.serve(sock);
    }
  }
}
