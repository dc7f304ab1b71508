// bin/authdaemond as a real process with a temp authdaemonrc naming authldap and an authldaprc
// beside it (where authldap looks by default), queried with the authlib client.

import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { ADMIN_DN, ADMIN_PW, SUFFIX } from "./slapd.js";

export const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** An authldaprc in Courier's format; `settings` are added after (and so win over) nothing. */
export function authldaprc(settings: Record<string, string>): string {
  const lines = ["##VERSION: test", ""];
  for (const [k, v] of Object.entries(settings)) lines.push(`##NAME: ${k}:0`, "#", `${k}\t${v}`, "");
  lines.push("##NAME: MARKER:0", "");
  return lines.join("\n");
}

/** The shipped example settings, bound as the admin (password compare mode). */
export function compareSettings(url: string): Record<string, string> {
  return {
    LDAP_URI: url,
    LDAP_BASEDN: SUFFIX,
    LDAP_BINDDN: ADMIN_DN,
    LDAP_BINDPW: ADMIN_PW,
    LDAP_INITBIND: "1",
    LDAP_TIMEOUT: "3",
    LDAP_MAIL: "mail",
    LDAP_HOMEDIR: "homeDirectory",
    LDAP_MAILDIR: "mailbox",
    LDAP_DEFAULTDELIVERY: "defaultDelivery",
    LDAP_MAILDIRQUOTA: "quota",
    LDAP_FULLNAME: "cn",
    LDAP_CLEARPW: "clearPassword",
    LDAP_CRYPTPW: "userPassword",
    LDAP_UID: "uidNumber",
    LDAP_GID: "gidNumber",
    LDAP_AUXOPTIONS: "disableimap=disableimap,sharedgroup",
    LDAP_DEREF: "never",
  };
}

export class Daemon {
  stderr = "";
  readonly socket: string;
  private constructor(
    readonly dir: string,
    readonly proc: ChildProcess,
  ) {
    this.socket = join(dir, "var", "socket");
  }

  get opts() {
    return { socket: this.socket, connectTimeout: 5, readTimeout: 15 };
  }

  /** Starts authdaemond with `rc` as authldaprc; `daemonRc` adds authdaemonrc lines. */
  static async start(
    dir: string,
    rc: string,
    daemonRc: string[] = [],
    env: NodeJS.ProcessEnv = {},
  ): Promise<Daemon> {
    mkdirSync(dir, { recursive: true });
    const config = join(dir, "authdaemonrc");
    writeFileSync(join(dir, "authldaprc"), rc, { mode: 0o600 });
    writeFileSync(
      config,
      [`authmodulelist="authldap"`, "daemons=1", `authdaemonvar=${join(dir, "var")}`, ...daemonRc, ""].join(
        "\n",
      ),
    );
    const proc = spawn(process.execPath, [join(ROOT, "bin", "authdaemond"), "--config", config], {
      env: { ...process.env, DEBUG_LOGIN: "1", DEFAULTOPTIONS: "", LDAPNOINIT: "1", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    const d = new Daemon(dir, proc);
    proc.stderr?.on("data", (b) => {
      d.stderr += b;
    });
    const end = Date.now() + 15000;
    while (Date.now() < end) {
      if (proc.exitCode !== null) throw new Error(`authdaemond exited:\n${d.stderr}`);
      if (await accepts(d.socket)) return d;
      await sleep(100);
    }
    throw new Error(`authdaemond did not answer:\n${d.stderr}`);
  }

  /** Waits until the daemon has logged a line matching `re` (log lines may trail the reply). */
  async waitLog(re: RegExp, ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    while (!re.test(this.stderr)) {
      if (Date.now() > end) throw new Error(`no log line matching ${re}:\n${this.stderr}`);
      await sleep(20);
    }
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once("exit", r));
    this.proc.kill("SIGTERM");
    const t = setTimeout(() => this.proc.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(t);
  }
}

function accepts(socket: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(socket);
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}
