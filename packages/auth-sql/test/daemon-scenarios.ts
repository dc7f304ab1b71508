// The must-show behaviour of authmysql and authpgsql, through a real authdaemond process and a
// real database: the same scenarios for both backends (mysql-daemon.test.ts, pgsql-daemon.test.ts).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer } from "node:net";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { makeHash } from "@courier-imap/authlib";
import { Daemon, fields, ROOT } from "./daemon-harness.js";
import type { DbFixture } from "./db-fixtures.js";

const JOHN_HASH = "$1$M6YnO2lA$lRvzbaFWBROo4Adjqcg1E1"; // "secret"
const EVIL = "evil' OR id<>'@example.com";

export function daemonScenarios(f: DbFixture): void {
  const d = new Daemon(f.module, { DEFAULTOPTIONS: "disablewebmail=1" });
  let skip: string | undefined;
  const P = f.prefix;

  const baseRc = (first = "", port?: number) =>
    [
      first,
      f.connectionRc(port),
      `${P}_USER_TABLE ${f.table}`,
      `${P}_CRYPT_PWFIELD crypt`,
      `${P}_CLEAR_PWFIELD clear`,
      `${P}_UID_FIELD uid`,
      `${P}_GID_FIELD gid`,
      `${P}_LOGIN_FIELD id`,
      `${P}_HOME_FIELD home`,
      `${P}_NAME_FIELD name`,
      `${P}_MAILDIR_FIELD maildir`,
      `${P}_QUOTA_FIELD quota`,
      `${P}_AUXOPTIONS_FIELD ${f.auxOptions}`,
      `${P}_WHERE_CLAUSE server='mail1'`,
      "DEFAULT_DOMAIN example.com",
    ].join("\n");

  const customSelect = `${P}_SELECT_CLAUSE SELECT id, crypt, clear, uid, gid, home, maildir, \\
      quota, name, ${f.auxOptions} FROM ${f.table} \\
      WHERE id = '$(local_part)@$(domain)' AND server = 'mail1' \\
      AND ('$(service)' <> 'pop3' OR disablepop3 = 0)`;

  const insert = (
    id: string,
    crypt: string | null,
    clear: string | null,
    extra: Record<string, unknown> = {},
  ) => {
    const row: Record<string, unknown> = {
      id,
      crypt,
      clear,
      uid: 1012,
      gid: 1012,
      home: `/home/vmail/${id.split("@")[0].replace(/\W/g, "_")}`,
      ...extra,
    };
    const cols = Object.keys(row);
    return f.exec(
      `INSERT INTO ${f.table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`,
      Object.values(row),
    );
  };

  const isRecord = (r: string) => r.endsWith("\n.\n");
  const guard = (t: { skip(m: string): void }) => {
    if (!skip) return false;
    t.skip(skip);
    return true;
  };

  before(async () => {
    skip = await f.reachable();
    if (skip) {
      if (process.env.CI === "true") throw new Error(`cannot run on CI: ${skip}`);
      return;
    }
    await f.setup();
    await insert("john@example.com", JOHN_HASH, null, {
      maildir: "/home/vmail/john/Maildir",
      quota: "10000000S",
      name: "John Doe, room 12",
      disablepop3: 1,
    });
    await insert("clara@example.com", null, "clearpw", { disableimap: 1 });
    await insert("victim@example.com", await makeHash("victimpw", "sha"), null);
    await insert(EVIL, await makeHash("evilpw", "ssha"), null);
    await insert("other@example.com", JOHN_HASH, null, { server: "mail2" });
    await insert("bad@example.com", JOHN_HASH, null, { uid: 0 });
    d.writeRc(baseRc());
    await d.start();
  });

  after(async () => {
    await d.stop();
    await f.teardown();
  });

  test(`${f.module}: loaded from its package because authmodulelist names it`, (t) => {
    if (guard(t)) return;
    assert.match(d.stderr, new RegExp(`Installation complete: ${f.module}`));
    const info = spawnSync(
      process.execPath,
      [join(ROOT, "bin", "authinfo"), "--config", join(d.dir, "authdaemonrc")],
      {
        encoding: "utf8",
      },
    );
    assert.match(info.stdout, new RegExp(`${f.module}.*installed`, "i"));
  });

  test(`${f.module}: login, wrong password, unknown user, DEFAULT_DOMAIN, WHERE clause, PRE`, async (t) => {
    if (guard(t)) return;
    assert.equal(
      await d.login("john@example.com", "secret"),
      "UID=1012\nGID=1012\nHOME=/home/vmail/john\nADDRESS=john@example.com\nNAME=John Doe\n" +
        `MAILDIR=/home/vmail/john/Maildir\nQUOTA=10000000S\nPASSWD=${JOHN_HASH}\nPASSWD2=secret\n` +
        "OPTIONS=disableimap=0,disablepop3=1,disablewebmail=1\n.\n",
    );
    assert.equal(await d.login("john@example.com", "wrong"), "FAIL\n");
    assert.equal(await d.login("nobody@example.com", "secret"), "FAIL\n");
    assert.equal(fields(await d.login("john", "secret")).ADDRESS, "john@example.com");
    assert.equal(await d.login("other@example.com", "secret"), "FAIL\n", "excluded by the WHERE clause");
    assert.equal(fields(await d.login("clara@example.com", "clearpw")).PASSWD2, "clearpw");
    const pre = fields(await d.pre("clara@example.com"));
    assert.equal(pre.PASSWD2, "clearpw", "PRE gives the clear column, as Courier");
    assert.equal(pre.PASSWD, undefined);
    assert.equal(await d.pre("nobody@example.com"), "FAIL\n");
  });

  test(`${f.module}: CRAM-MD5 and CRAM-SHA256 from the clear-text column`, async (t) => {
    if (guard(t)) return;
    const challenge = "<1896.697170952@postoffice.example.net>";
    const cram = (alg: string, user: string, pw: string) => {
      const digest = createHmac(alg, pw).update(challenge).digest("hex");
      const body = `imap\ncram-${alg}\n${Buffer.from(challenge).toString("base64")}\n${Buffer.from(`${user} ${digest}`).toString("base64")}\n`;
      return d.raw(body);
    };
    assert.equal(fields(await cram("md5", "clara@example.com", "clearpw")).ADDRESS, "clara@example.com");
    assert.equal(fields(await cram("sha256", "clara@example.com", "clearpw")).UID, "1012");
    assert.equal(await cram("md5", "clara@example.com", "wrong"), "FAIL\n");
    assert.equal(await cram("md5", "john@example.com", "secret"), "FAIL\n", "no clear-text column value");
  });

  test(`${f.module}: service-specific disable options and aux options reach the reply, read live`, async (t) => {
    if (guard(t)) return;
    assert.equal(
      fields(await d.login("clara@example.com", "clearpw")).OPTIONS,
      "disableimap=1,disablepop3=0,disablewebmail=1",
    );
    await f.exec(`UPDATE ${f.table} SET disableimap = 0, disablepop3 = 1 WHERE id = ?`, [
      "clara@example.com",
    ]);
    assert.equal(
      fields(await d.login("clara@example.com", "clearpw", "pop3")).OPTIONS,
      "disableimap=0,disablepop3=1,disablewebmail=1",
    );
    await f.exec(`UPDATE ${f.table} SET disableimap = 1, disablepop3 = 0 WHERE id = ?`, [
      "clara@example.com",
    ]);
  });

  test(`${f.module}: a uid 0 row is a database error (no reply), not a login`, async (t) => {
    if (guard(t)) return;
    assert.equal(await d.login("bad@example.com", "secret"), "");
    assert.match(d.stderr, /ERR: .*uid "0" is not a positive number/);
  });

  test(`${f.module}: custom SELECT clause with $(local_part), $(domain), $(service), picked up on mtime change`, async (t) => {
    if (guard(t)) return;
    d.writeRc(baseRc(customSelect));
    const r = fields(await d.login("john@example.com", "secret", "imap"));
    assert.equal(r.ADDRESS, "john@example.com");
    assert.equal(r.OPTIONS, "disableimap=0,disablepop3=1,disablewebmail=1");
    assert.equal(await d.login("john@example.com", "secret", "pop3"), "FAIL\n", "$(service) made pop3 fail");
    assert.equal(
      fields(await d.login("clara", "clearpw", "pop3")).ADDRESS,
      "clara@example.com",
      "$(domain) from DEFAULT_DOMAIN",
    );
    assert.match(d.stderr, /settings reloaded/);
  });

  test(`${f.module}: hostile login names find nothing, in our query and in a custom SELECT`, async (t) => {
    if (guard(t)) return;
    const hostile = [
      "' OR '1'='1",
      "x' OR 1=1 -- ",
      "x\\' OR 1=1 #",
      "x\\' OR 1=1 -- x",
      "' OR ''='",
      `x' UNION SELECT id, '', 'pwned', uid, gid, home, maildir, quota, name, '' FROM ${f.table} WHERE id='john@example.com' -- `,
      'x"; SELECT 1; --',
      "x$$ OR 1=1 $$",
    ];
    for (const rc of [baseRc(), baseRc(customSelect)]) {
      d.writeRc(rc);
      for (const login of hostile) {
        assert.equal(await d.login(login, "pwned"), "FAIL\n", `login ${JSON.stringify(login)}`);
        assert.equal(await d.pre(login), "FAIL\n", `PRE ${JSON.stringify(login)}`);
      }
    }
    // The account with a hostile name is found as itself, and only itself.
    assert.equal(fields(await d.login(EVIL, "evilpw")).ADDRESS, EVIL);
    d.writeRc(baseRc());
  });

  test(`${f.module}: PASSWD through the default UPDATE keeps the hash scheme`, async (t) => {
    if (guard(t)) return;
    assert.equal(await d.passwd("john@example.com", "wrong", "new1"), "FAIL\n");
    assert.equal(await d.passwd("john@example.com", "secret", "new1"), "OK\n");
    assert.equal(await d.login("john@example.com", "secret"), "FAIL\n");
    assert.match(fields(await d.login("john@example.com", "new1")).PASSWD, /^\$1\$/);
    const [row] = await f.exec(`SELECT clear FROM ${f.table} WHERE id = ?`, ["john@example.com"]);
    assert.equal(row.clear, "new1", "the clear column is written too");
  });

  test(`${f.module}: a hostile name and password cannot escape the CHPASS clause`, async (t) => {
    if (guard(t)) return;
    d.writeRc(
      baseRc(
        `${P}_CHPASS_CLAUSE UPDATE ${f.table} SET crypt = '$(newpass_crypt)', clear = '$(newpass)' \\\n WHERE id = '$(local_part)@$(domain)'`,
      ),
    );
    const before = await f.exec(`SELECT id, crypt FROM ${f.table} ORDER BY id`);
    const newpass = "x', crypt='pwned";
    assert.equal(await d.passwd(EVIL, "evilpw", newpass), "OK\n");
    const afterRows = await f.exec(`SELECT id, crypt, clear FROM ${f.table} ORDER BY id`);
    for (const b of before) {
      const a = afterRows.find((r) => r.id === b.id)!;
      if (b.id === EVIL) {
        assert.notEqual(a.crypt, b.crypt);
        assert.equal(a.clear, newpass);
      } else assert.equal(a.crypt, b.crypt, `${b.id} untouched`);
    }
    assert.equal(fields(await d.login(EVIL, newpass)).ADDRESS, EVIL);
    assert.equal(fields(await d.login("victim@example.com", "victimpw")).ADDRESS, "victim@example.com");
    // And through the clause for an ordinary account ({SHA} stays {SHA}).
    assert.equal(await d.passwd("victim@example.com", "victimpw", "victim2"), "OK\n");
    assert.match(fields(await d.login("victim@example.com", "victim2")).PASSWD, /^\{SHA\}/);
    d.writeRc(baseRc());
  });

  test(`${f.module}: ENUMERATE, default and custom clause`, async (t) => {
    if (guard(t)) return;
    const list = (r: string) =>
      r
        .split("\n")
        .filter((l) => l.includes("\t"))
        .sort();
    const all = await d.exchange("ENUMERATE\n");
    assert.ok(all.startsWith(`# ${f.module}\n\n`) && all.endsWith("\n.\n"), all);
    assert.deepEqual(list(all), [
      "clara@example.com\t1012\t1012\t/home/vmail/clara\t\tdisableimap=1,disablepop3=0,disablewebmail=1",
      `${EVIL}\t1012\t1012\t/home/vmail/evil__OR_id___\t\tdisableimap=0,disablepop3=0,disablewebmail=1`,
      "john@example.com\t1012\t1012\t/home/vmail/john\t/home/vmail/john/Maildir\tdisableimap=0,disablepop3=1,disablewebmail=1",
      "victim@example.com\t1012\t1012\t/home/vmail/victim\t\tdisableimap=0,disablepop3=0,disablewebmail=1",
    ]);
    d.writeRc(
      baseRc(
        `${P}_ENUMERATE_CLAUSE SELECT id, uid, gid, home, '', 'sharedgroup=' || '$(service)' FROM ${f.table} \\\n WHERE id LIKE '%@$(domain)' AND id <> 'bad@example.com' AND server = 'mail1' AND id NOT LIKE 'evil%'`.replace(
          "'sharedgroup=' || '$(service)'",
          f.kind === "mysql" ? "CONCAT('sharedgroup=', '$(service)')" : "'sharedgroup=' || '$(service)'",
        ),
      ),
    );
    const custom = list(await d.exchange("ENUMERATE\n"));
    assert.deepEqual(custom, [
      "clara@example.com\t1012\t1012\t/home/vmail/clara\t\tsharedgroup=enumerate,disablewebmail=1",
      "john@example.com\t1012\t1012\t/home/vmail/john\t\tsharedgroup=enumerate,disablewebmail=1",
      "victim@example.com\t1012\t1012\t/home/vmail/victim\t\tsharedgroup=enumerate,disablewebmail=1",
    ]);
    d.writeRc(baseRc());
  });

  test(`${f.module}: a broken rc file keeps the previous settings`, async (t) => {
    if (guard(t)) return;
    const { writeFileSync, utimesSync } = await import("node:fs");
    writeFileSync(d.rcFile, baseRc());
    utimesSync(d.rcFile, Date.now() / 1000 + 1000, Date.now() / 1000 + 1000);
    // Each child keeps the last version it loaded; all of those earlier ones were working.
    for (let i = 0; i < 6; i++) assert.ok(isRecord(await d.login("john@example.com", "new1")));
    assert.match(d.stderr, /marker line not found .*keeping the previous settings/);
    d.writeRc(baseRc());
  });
  test(`${f.module}: connections killed server-side mid-run: every login still answers, no restart`, async (t) => {
    if (guard(t)) return;
    const replies: string[] = [];
    for (let i = 0; i < 30; i++) {
      if (i === 10) assert.ok((await f.killDaemonConnections()) > 0, "the daemon had connections to kill");
      if (i === 20) await f.killDaemonConnections();
      replies.push(await d.login("john@example.com", "new1"));
    }
    // In parallel too: kills land while statements are in flight. A statement cut by the
    // kill can stall until its 8 s timeout before the retry, so the burst stays small enough
    // that the requests queued behind it still finish inside the client's 30 s deadline.
    const burst = Array.from({ length: 8 }, () => d.login("clara@example.com", "clearpw"));
    await f.killDaemonConnections();
    replies.push(...(await Promise.all(burst)));
    assert.deepEqual(
      replies.filter((r) => !isRecord(r)),
      [],
      d.stderr.split("\n").slice(-20).join("\n"),
    );
    assert.match(d.stderr, /reconnecting/);
  });

  test(`${f.module}: the database server restarted: logins answer again without restarting authdaemond`, async (t) => {
    if (guard(t)) return;
    // Stopping a shared server disturbs whoever else uses it: CI's servers are the run's own;
    // elsewhere opt in with AUTHSQL_RESTART_SERVERS=1.
    if (process.env.AUTHSQL_RESTART_SERVERS !== "1" && process.env.CI !== "true") {
      t.skip(
        "set AUTHSQL_RESTART_SERVERS=1 to stop and start the real server (the kill test covers the rest)",
      );
      return;
    }
    assert.ok(isRecord(await d.login("john@example.com", "new1")));
    await f.restartServer();
    for (let i = 0; i < 5; i++)
      assert.ok(isRecord(await d.login("john@example.com", "new1")), d.stderr.slice(-2000));
  });

  test(`${f.module}: database unreachable or silent: no reply (TEMPFAIL) within bounds, never FAIL; then back`, async (t) => {
    if (guard(t)) return;
    d.writeRc(baseRc("", 1)); // nothing listens on port 1
    assert.equal(await d.login("john@example.com", "new1"), "", "refused connection: temporary failure");
    assert.equal(await d.pre("john@example.com"), "");
    assert.equal(await d.passwd("john@example.com", "new1", "x"), "FAIL\n", "PASSWD reports failure");
    assert.ok(!(await d.exchange("ENUMERATE\n")).endsWith(".\n"), "incomplete listing has no final dot");

    const silent = createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    const port = (silent.address() as { port: number }).port;
    try {
      d.writeRc(baseRc("", port));
      const t0 = Date.now();
      assert.equal(await d.login("john@example.com", "new1"), "");
      const ms = Date.now() - t0;
      assert.ok(ms >= 3000 && ms < 15000, `gave up after ${ms} ms`);
    } finally {
      silent.close();
    }
    d.writeRc(baseRc());
    assert.ok(isRecord(await d.login("john@example.com", "new1")), "works again without a restart");
  });
}
