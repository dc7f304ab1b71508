// Debian's fail2ban `courier-auth` filter must match our failed-login lines as they reach
// syslog through courierlogger (`imapd: LOGIN FAILED, user=…, ip=[::ffff:…]`).

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { waitUntil } from "./lib/procs.js";
import { rcInstance } from "./lib/rc-instance.js";
import { asLogFileLine, syslogReceiver } from "./lib/syslog.js";

const FILTER = "/etc/fail2ban/filter.d/courier-auth.conf";

/** Sends the lines one by one, each after the previous reply's tagged line. */
async function session(port: number, lines: string[]): Promise<string> {
  const sock = connect(port, "127.0.0.1");
  let buf = "";
  sock.on("data", (d) => (buf += d));
  sock.on("error", () => {});
  await waitUntil(() => buf.includes("\r\n"), "greeting", 15000);
  for (const line of lines) {
    const tag = line.split(" ")[0];
    sock.write(`${line}\r\n`);
    await waitUntil(() => new RegExp(`^${tag} `, "m").test(buf), tag, 15000);
  }
  sock.destroy();
  return buf;
}

test("fail2ban-regex with Debian's courier-auth filter matches our LOGIN FAILED lines", async (t) => {
  if (!existsSync("/usr/bin/fail2ban-regex") || !existsSync(FILTER)) {
    t.skip("fail2ban is not installed (apt-get install fail2ban)");
    return;
  }
  const syslog = await syslogReceiver();
  const dir = mkdtempSync(join(tmpdir(), "fail2ban-test-"));
  const inst = await rcInstance(dir, syslog);
  try {
    const port = inst.info.imap;
    await session(port, ["a LOGIN mallory@example.com guess1", "b LOGOUT"]);
    await session(port, [`a LOGIN ${inst.info.user} wrong-password`, "b LOGOUT"]);
    const plain = Buffer.from(`\0${inst.info.user}\0nope`).toString("base64");
    await session(port, [`a AUTHENTICATE PLAIN ${plain}`, "b LOGOUT"]);
    await session(port, [`a LOGIN ${inst.info.user} ${inst.info.password}`, "b LOGOUT"]);
    await waitUntil(
      () => syslog.messages.filter((m) => / imapd: LOGOUT/.test(m)).length >= 4,
      "the LOGOUT lines",
      10000,
    );
  } finally {
    inst.stopAll();
    syslog.close();
  }
  const lines = syslog.messages.filter((m) => / imapd: /.test(m)).map((m) => asLogFileLine(m, hostname()));
  const failed = lines.filter((l) => l.includes("LOGIN FAILED"));
  assert.ok(failed.length >= 3, lines.join("\n"));
  assert.match(
    failed[0],
    /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ imapd: LOGIN FAILED, user=mallory@example\.com, ip=\[::ffff:127\.0\.0\.1\], port=\[\d+\]$/,
  );
  const log = join(dir, "mail.log");
  writeFileSync(log, `${lines.join("\n")}\n`);
  const r = spawnSync("fail2ban-regex", ["--print-all-matched", log, FILTER], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const m = /Lines: (\d+) lines, (\d+) ignored, (\d+) matched, (\d+) missed/.exec(r.stdout);
  assert.ok(m, r.stdout);
  assert.equal(Number(m[3]), failed.length, `every LOGIN FAILED line matches:\n${r.stdout}`);
  assert.equal(Number(m[2]) + Number(m[3]) + Number(m[4]), lines.length);
  assert.match(r.stdout, /::ffff:127\.0\.0\.1/, "the ban address is the client's");
  assert.ok(
    lines.some((l) => / imapd: LOGIN, user=/.test(l)),
    "a successful LOGIN is logged too",
  );
});
