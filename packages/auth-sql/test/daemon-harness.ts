// A real authdaemond (bin/authdaemond) in a temp directory whose authdaemonrc names the SQL
// module, with the module's rc file beside it; raw request/reply exchanges on its socket.

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

export class Daemon {
  readonly dir = mkdtempSync(join(tmpdir(), "authsql-daemon-"));
  readonly socket = join(this.dir, "var", "socket");
  readonly rcFile: string;
  stderr = "";
  private proc?: ChildProcess;
  private rcVersion = 0;

  constructor(
    readonly module: string,
    private readonly env: NodeJS.ProcessEnv = {},
  ) {
    this.rcFile = join(this.dir, `${module}rc`);
  }

  /** Writes the module's rc file (adding the MARKER line) with a new mtime, so it is reloaded. */
  writeRc(lines: string): void {
    writeFileSync(this.rcFile, `# test settings\n${lines}\n##NAME: MARKER:0\n`, { mode: 0o600 });
    const t = Date.now() / 1000 + ++this.rcVersion;
    utimesSync(this.rcFile, t, t);
  }

  async start(): Promise<void> {
    const rc = join(this.dir, "authdaemonrc");
    writeFileSync(
      rc,
      `authmodulelist="${this.module}"\ndaemons=2\nauthdaemonvar=${this.dir}/var\nDEBUG_LOGIN=1\n`,
    );
    this.proc = spawn(process.execPath, [join(ROOT, "bin", "authdaemond"), "--config", rc], {
      env: { ...process.env, DEFAULTOPTIONS: "", ...this.env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    this.proc.stderr?.on("data", (d) => {
      this.stderr += d;
    });
    const end = Date.now() + 15000;
    while (Date.now() < end) {
      const r = await this.exchange("ENUMERATE\n").catch(() => undefined);
      if (r !== undefined && this.stderr.includes(`Installation complete: ${this.module}`)) return;
      await sleep(100);
    }
    assert.fail(`authdaemond did not start:\n${this.stderr}`);
  }

  async stop(): Promise<void> {
    if (this.proc && this.proc.exitCode === null) {
      const gone = new Promise((r) => this.proc!.once("exit", r));
      this.proc.kill("SIGTERM");
      await Promise.race([gone, sleep(5000)]);
      if (this.proc.exitCode === null) this.proc.kill("SIGKILL");
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Everything the daemon wrote before closing ("" = no reply: a temporary failure). */
  exchange(bytes: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const s = connect(this.socket);
      s.on("connect", () => s.write(bytes));
      s.on("data", (d) => chunks.push(d));
      s.on("error", reject);
      s.on("close", () => resolve(Buffer.concat(chunks).toString()));
    });
  }

  login(user: string, pass: string, service = "imap"): Promise<string> {
    const body = `${service}\nlogin\n${user}\n${pass}\n`;
    return this.exchange(`TCPREMOTEIP=192.0.2.7\nAUTH ${Buffer.byteLength(body)}\n${body}`);
  }

  pre(user: string, service = "imap"): Promise<string> {
    return this.exchange(`PRE . ${service} ${user}\n`);
  }

  passwd(user: string, oldpass: string, newpass: string, service = "imap"): Promise<string> {
    return this.exchange(`PASSWD ${service}\t${user}\t${oldpass}\t${newpass}\n`);
  }

  raw(body: string): Promise<string> {
    return this.exchange(`AUTH ${Buffer.byteLength(body)}\n${body}`);
  }
}

/** The KEY=VALUE lines of a reply as an object ({} for FAIL or no reply). */
export function fields(reply: string): Record<string, string> {
  if (!reply.endsWith("\n.\n")) return {};
  const out: Record<string, string> = {};
  for (const line of reply.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}
