// Test harness: a real authdaemon-protocol server on a Unix socket, a temp maildir, and
// bin/imapd spawned as a child process with pipes, driven line by line.

import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { formatRecord, RequestReader } from "@courier-imap/authlib";

const REPO = resolve(fileURLToPath(import.meta.url), "../../../../..");
export const IMAPD = join(REPO, "bin", "imapd");

export interface Account {
  user: string;
  password: string;
  home: string;
  options?: string;
}

export interface World {
  dir: string;
  home: string;
  maildir: string;
  socket: string;
  authRequests: string[];
  clients: Client[];
  cleanup: () => Promise<void>;
}

function startAuthServer(socket: string, accounts: Account[], log: string[]): Promise<Server> {
  const server = createServer((conn) => {
    const reader = new RequestReader();
    conn.on("data", (chunk) => {
      let req: ReturnType<RequestReader["push"]>;
      try {
        req = reader.push(chunk);
      } catch {
        conn.destroy();
        return;
      }
      if (!req) return;
      if (req.cmd !== "AUTH" || req.authtype !== "login") {
        conn.end("FAIL\n");
        return;
      }
      const [user, password] = req.authdata.split("\n");
      log.push(`${req.service} ${user} ${req.meta.TCPREMOTEIP ?? ""}`);
      const acct = accounts.find((a) => a.user === user && a.password === password);
      if (!acct) {
        conn.end("FAIL\n");
        return;
      }
      conn.end(
        formatRecord({
          uid: process.getuid!(),
          gid: process.getgid!(),
          home: acct.home,
          address: acct.user,
          options: acct.options,
        }),
      );
    });
    conn.on("error", () => {});
  });
  return new Promise((res) => server.listen(socket, () => res(server)));
}

/** Temp home with Maildir/ and an auth server knowing `joe`/`secret` (and `off`, disabled). */
export async function makeWorld(): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), "imapd-test-"));
  const home = join(dir, "home");
  const maildir = join(home, "Maildir");
  for (const d of ["tmp", "new", "cur"]) mkdirSync(join(maildir, d), { recursive: true });
  const socket = join(dir, "auth.sock");
  const authRequests: string[] = [];
  const clients: Client[] = [];
  const server = await startAuthServer(
    socket,
    [
      { user: "joe", password: "secret", home },
      { user: "off", password: "secret", home, options: "disableimap=1" },
    ],
    authRequests,
  );
  return {
    dir,
    home,
    maildir,
    socket,
    authRequests,
    clients,
    cleanup: async () => {
      for (const c of clients) if (c.proc.exitCode === null) c.proc.kill("SIGKILL");
      await new Promise((r) => server.close(r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Puts a message file straight into the maildir (as a delivery agent would). */
export function putMessage(
  world: World,
  sub: "new" | "cur",
  name: string,
  content: string,
  mtime: number,
): void {
  const p = join(world.maildir, sub, name);
  writeFileSync(p, content);
  utimesSync(p, mtime, mtime);
}

export class Client {
  private buf = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  stderr = "";
  exited: Promise<number | null>;
  private ended = false;

  constructor(readonly proc: ChildProcessWithoutNullStreams) {
    proc.stdout.on("data", (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wakeAll();
    });
    proc.stdout.on("end", () => {
      this.ended = true;
      this.wakeAll();
    });
    proc.stderr.on("data", (d: Buffer) => {
      this.stderr += d.toString();
    });
    // "close" comes after the process exited and all its output, stderr too, was read.
    this.exited = new Promise((res) => proc.on("close", (code) => res(code)));
  }

  private wakeAll(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async waitMore(what: string): Promise<void> {
    if (this.ended) throw new Error(`server closed the connection while waiting for ${what}`);
    await new Promise<void>((res, rej) => {
      const t = setTimeout(
        () => rej(new Error(`timeout waiting for ${what}; have ${JSON.stringify(this.buf.toString())}`)),
        5000,
      );
      this.waiters.push(() => {
        clearTimeout(t);
        res();
      });
    });
  }

  send(text: string | Buffer): void {
    this.proc.stdin.write(text);
  }

  /** Next line including its CRLF. */
  async line(): Promise<string> {
    for (;;) {
      const i = this.buf.indexOf("\r\n");
      if (i >= 0) {
        const l = this.buf.subarray(0, i + 2).toString("latin1");
        this.buf = this.buf.subarray(i + 2);
        return l;
      }
      await this.waitMore("a line");
    }
  }

  async bytes(n: number): Promise<Buffer> {
    while (this.buf.length < n) await this.waitMore(`${n} bytes`);
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }

  /** Everything up to and including the tagged reply for `tag`, as one string (literals inline). */
  async until(tag: string): Promise<string> {
    let out = "";
    for (;;) {
      const l = await this.line();
      out += l;
      const lit = /\{(\d+)\}\r\n$/.exec(l);
      if (lit) out += (await this.bytes(Number(lit[1]))).toString("latin1");
      else if (l.startsWith(`${tag} `)) return out;
    }
  }

  /** Sends `tag command` and returns the whole reply. */
  async cmd(tag: string, command: string): Promise<string> {
    this.send(`${tag} ${command}\r\n`);
    return this.until(tag);
  }

  async closed(): Promise<string> {
    while (!this.ended) await this.waitMore("end of output");
    await this.exited;
    const rest = this.buf.toString("latin1");
    this.buf = Buffer.alloc(0);
    return rest;
  }
}

export function spawnImapd(world: World, env: Record<string, string> = {}, args: string[] = []): Client {
  const proc = spawn(process.execPath, [IMAPD, ...args], {
    env: {
      PATH: process.env.PATH ?? "",
      TCPREMOTEIP: "192.0.2.7",
      TCPREMOTEPORT: "40123",
      TCPLOCALIP: "192.0.2.1",
      TCPLOCALPORT: "143",
      AUTHDAEMONSOCKET: world.socket,
      IMAP_LOGIN_FAIL_DELAY: "0.1",
      TZ: "UTC",
      ...env,
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  const client = new Client(proc);
  world.clients.push(client);
  return client;
}

export const GREETING =
  "* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR AUTH=PLAIN ENABLE UTF8=ACCEPT] Courier-IMAP ready. " +
  "Copyright 1998-2022 S. Varshavchik.  See COPYING for distribution information.\r\n";

/** Spawns imapd, checks the greeting, logs in as joe. */
export async function loggedIn(world: World, env: Record<string, string> = {}): Promise<Client> {
  const c = spawnImapd(world, env);
  if ((await c.line()) !== GREETING) throw new Error("unexpected greeting");
  const r = await c.cmd("L", "LOGIN joe secret");
  if (r !== "L OK LOGIN Ok.\r\n") throw new Error(`login failed: ${r}`);
  return c;
}
