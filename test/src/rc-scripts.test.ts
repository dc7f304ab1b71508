// bin/imapd.rc start|stop|restart against a temp config directory (COURIER_SYSCONFDIR), with
// authdaemond start|stop, logging through courierlogger to a syslog socket of our own.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { bin } from "./lib/instance.js";
import { listening } from "./lib/net.js";
import { childrenOf, waitUntil } from "./lib/procs.js";
import { rcInstance } from "./lib/rc-instance.js";
import { type Receiver, syslogReceiver, withoutTime } from "./lib/syslog.js";

let syslog: Receiver;
before(async () => {
  syslog = await syslogReceiver();
});
after(() => syslog.close());

/** A raw IMAP session: `say` sends a line and resolves with the lines up to the tagged reply. */
function imap(port: number) {
  const sock = connect(port, "127.0.0.1");
  let buf = "";
  let closed = false;
  sock.on("data", (d) => (buf += d));
  sock.on("close", () => (closed = true));
  sock.on("error", () => {});
  const until = async (re: RegExp) => {
    await waitUntil(() => re.test(buf) || closed, `${re}`, 15000);
    const out = buf;
    buf = "";
    return out;
  };
  return {
    sock,
    until,
    say: (line: string, tag: string) => {
      sock.write(`${line}\r\n`);
      return until(new RegExp(`^${tag} `, "m"));
    },
  };
}

function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}

test("imapd.rc: start, refuse a second start, restart, stop with BYE to the sessions", async () => {
  const dir = mkdtempSync(join(tmpdir(), "rc-test-"));
  const inst = await rcInstance(dir, syslog);
  try {
    const pid = Number(readFileSync(inst.pidFile, "utf8").trim());
    const [tcpd] = childrenOf(pid);
    assert.match(
      tcpd.cmdline,
      /couriertcpd -address=127\.0\.0\.1 -maxprocs=40 -maxperip=20 -nodnslookup -noidentlookup -prespawn=2 \d+ \S+\/imapd Maildir$/,
    );
    const env = readFileSync(`/proc/${tcpd.pid}/environ`, "utf8").split("\0");
    assert.ok(env.includes("IMAP_STARTTLS=NO"), "IMAPDSTARTTLS becomes IMAP_STARTTLS");
    assert.ok(env.includes("IMAPDSSLSTART=YES"), "both files are sourced and exported");
    assert.ok(!env.some((e) => e.startsWith("HOME=")), "env -i: nothing inherited beyond PATH");

    const again = inst.rc("imapd.rc", "start");
    assert.equal(again.status, 0);
    assert.match(again.stderr, new RegExp(`already running \\(pid ${pid}\\)`));
    assert.deepEqual(
      childrenOf(pid).map((p) => p.pid),
      [tcpd.pid],
      "no second listener",
    );

    const s = imap(inst.info.imap);
    assert.match(await s.until(/^\* OK /m), /Courier-IMAP ready/);
    const clientPort = s.sock.localPort;
    assert.match(await s.say(`a LOGIN ${inst.info.user} ${inst.info.password}`, "a"), /^a OK /m);
    assert.match(await s.say("b LOGIN nobody@example.com wrong", "b"), /^b BAD|^b NO/m);

    assert.equal(inst.rc("imapd.rc", "restart").status, 0);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(alive(pid) && alive(tcpd.pid), "restart keeps the listener");
    assert.match(await s.say("c NOOP", "c"), /^c OK/m, "and the session");

    assert.equal(inst.rc("imapd.rc", "stop").status, 0);
    assert.match(await s.until(/^\* BYE/m), /^\* BYE Courier-IMAP server shut down by signal\.\r$/m);
    assert.ok(!alive(pid) && !alive(tcpd.pid), "stopped when stop returns");
    assert.ok(!listening(inst.info.imap));

    const logs = syslog.messages.map(withoutTime);
    assert.ok(
      logs.includes(
        `<22>imapd: LOGIN, user=${inst.info.user}, ip=[::ffff:127.0.0.1], port=[${clientPort}], protocol=IMAP`,
      ),
      logs.join("\n"),
    );
  } finally {
    inst.stopAll();
  }
});

test("the rc scripts explain themselves and refuse what they cannot do", () => {
  const env = { ...process.env, COURIER_SYSCONFDIR: mkdtempSync(join(tmpdir(), "rc-empty-")) };
  for (const s of ["imapd.rc", "imapd-ssl.rc", "pop3d.rc", "pop3d-ssl.rc"]) {
    const help = spawnSync(bin(s), ["--help"], { env, encoding: "utf8" });
    assert.equal(help.status, 0);
    assert.match(help.stdout, new RegExp(`^Usage: ${s.replace(".", "\\.")} start\\|stop\\|restart`));
    const missing = spawnSync(bin(s), ["start"], { env, encoding: "utf8" });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /does not exist, forgot make install-configure\?|is not installed/);
    assert.equal(spawnSync(bin(s), ["status"], { env }).status, 1);
  }
});
