// slapd stopped and started again under a running authdaemond: logins are temporary failures
// while it is down (never "wrong password"), and work again on the same child process, which
// reconnects by itself. Also: authldaprc edited on disk is picked up without a restart.

import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { authLogin } from "@courier-imap/authlib";
import { testDirectory } from "./accounts.js";
import { authldaprc, compareSettings, Daemon } from "./daemon.js";
import { ldapTest } from "./needs.js";
import { makeCa, Slapd } from "./slapd.js";

const dir = mkdtempSync(join(tmpdir(), "authldap-restart-"));
const cleanup: (() => Promise<void> | void)[] = [];

after(async () => {
  for (const f of cleanup.reverse()) await f();
  rmSync(dir, { recursive: true, force: true });
});

function childrenOf(pid: number): number[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return new RegExp(`^PPid:\\s+${pid}$`, "m").test(readFileSync(`/proc/${p}/status`, "utf8"));
      } catch {
        return false;
      }
    })
    .map(Number);
}

for (const mode of ["plain", "starttls"] as const) {
  ldapTest(
    `slapd restarted mid-run (${mode}): TEMPFAIL while down, logins work again without restarting authdaemond`,
    async () => {
      const ca = makeCa(mkdtempSync(join(dir, "ca-")));
      const slapd = await Slapd.create(join(dir, `slapd-${mode}`), testDirectory(), ca);
      cleanup.push(() => slapd.kill());
      const settings = { ...compareSettings(slapd.url), ...(mode === "starttls" ? { LDAP_TLS: "1" } : {}) };
      const d = await Daemon.start(join(dir, `daemon-${mode}`), authldaprc(settings), [
        `LDAPTLS_CACERT=${ca.caCert}`,
      ]);
      cleanup.push(() => d.stop());
      const pid = d.proc.pid ?? 0;
      const login = () => authLogin(d.opts, "imap", "john@example.com", "secret");
      assert.equal((await login()).kind, "ok");
      const child = childrenOf(pid);
      assert.equal(child.length, 1);

      await slapd.stop();
      const down = await login();
      assert.equal(down.kind, "tempfail", "a server that is down is a temporary failure");
      await d.waitLog(/cannot connect to the LDAP server/);
      assert.deepEqual(await authLogin(d.opts, "imap", "john@example.com", "wrong"), down);

      await slapd.start();
      const again = await login();
      assert.equal(again.kind, "ok", d.stderr);
      assert.equal(again.kind === "ok" && again.record.home, "/home/vmail/john");
      assert.equal((await authLogin(d.opts, "imap", "john@example.com", "wrong")).kind, "fail");
      assert.deepEqual(childrenOf(pid), child, "the same child reconnected");
      assert.equal(d.proc.exitCode, null);
      await slapd.stop();
    },
  );
}

ldapTest(
  "authldaprc changes are picked up on the next request; a broken edit keeps the old settings",
  async () => {
    const ca = makeCa(mkdtempSync(join(dir, "ca-")));
    const slapd = await Slapd.create(join(dir, "slapd-reload"), testDirectory(), ca);
    cleanup.push(() => slapd.kill());
    const s = compareSettings(slapd.url);
    const d = await Daemon.start(join(dir, "daemon-reload"), authldaprc(s));
    cleanup.push(() => d.stop());
    const rc = join(d.dir, "authldaprc");
    const bump = async (text: string) => {
      await new Promise((r) => setTimeout(r, 20)); // a different mtime
      writeFileSync(rc, text);
    };
    assert.equal((await authLogin(d.opts, "imap", "alice", "alicepw")).kind, "fail");
    await bump(authldaprc({ ...s, LDAP_DOMAIN: "example.com" }));
    assert.equal((await authLogin(d.opts, "imap", "alice", "alicepw")).kind, "ok");
    await bump("LDAP_URI ldap://127.0.0.1:1\n"); // no MARKER line: rejected, old settings stay
    assert.equal((await authLogin(d.opts, "imap", "alice", "alicepw")).kind, "ok");
    await d.waitLog(/marker line not found .*will try again later/);
    await bump(authldaprc({ ...s, LDAP_DEREF: "sometimes" }));
    assert.equal((await authLogin(d.opts, "imap", "alice", "alicepw")).kind, "ok");
    await d.waitLog(/LDAP_DEREF: sometimes is not one of/);
    await slapd.stop();
  },
);

ldapTest(
  "a server that hangs: TEMPFAIL within LDAP_TIMEOUT (connect + one retry), then it recovers",
  async () => {
    const ca = makeCa(mkdtempSync(join(dir, "ca-")));
    const slapd = await Slapd.create(join(dir, "slapd-hang"), testDirectory(), ca);
    cleanup.push(() => {
      slapd.pause(false);
      slapd.kill();
    });
    const d = await Daemon.start(
      join(dir, "daemon-hang"),
      authldaprc({ ...compareSettings(slapd.url), LDAP_TIMEOUT: "1" }),
    );
    cleanup.push(() => d.stop());
    const login = () => authLogin(d.opts, "imap", "john@example.com", "secret");
    assert.equal((await login()).kind, "ok");
    slapd.pause(true);
    const t0 = Date.now();
    assert.equal((await login()).kind, "tempfail");
    const ms = Date.now() - t0;
    assert.ok(ms < 8000, `answered after ${ms} ms`); // 2 x LDAP_TIMEOUT plus slack for a busy machine
    slapd.pause(false);
    assert.equal((await login()).kind, "ok", d.stderr);
    await slapd.stop();
  },
);
