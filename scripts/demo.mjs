// `npm run demo`: creates (or reuses) a self-contained demo instance and runs authdaemond
// and couriertcpd/imapd in the foreground until Ctrl-C. The instance is built by the same
// code the end-to-end tests use (test/src/lib/instance.ts).
import { appendFileSync, chmodSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createInstance, startInstance } from "../test/dist/lib/instance.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    dir: { type: "string", default: join(root, "demo") },
    "port-base": { type: "string", default: "1000" },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(`npm run demo -- [--dir DIR] [--port-base N]

Creates (or reuses) a demo instance in DIR (default ./demo) and runs it in the
foreground until Ctrl-C. The IMAP port is N+143 (default N=1000, so 1143), IMAP over
TLS (imapd-ssl) N+993, POP3 N+110 (STLS) and POP3 over TLS (pop3d-ssl) N+995. A
self-signed certificate, used by every TLS service, is made with bin/mkimapdcert on the
first start.`);
  process.exit(0);
}
const dir = resolve(values.dir);
const base = Number(values["port-base"]);
if (!Number.isInteger(base) || base < 0 || base + 995 > 65535) {
  console.error(`demo: --port-base must be a whole number from 0 to ${65535 - 995}`);
  process.exit(1);
}

// Run as root, the demo's mail belongs to nobody/nogroup, so the workers really drop privileges;
// that needs every directory above the instance to be enterable by others.
function enterableByOthers(path) {
  for (let p = dirname(path); ; p = dirname(p)) {
    if ((statSync(p).mode & 0o001) === 0) return false;
    if (p === dirname(p)) return true;
  }
}
const asNobody = process.getuid() === 0 && enterableByOthers(dir);
if (process.getuid() === 0 && !asNobody) {
  console.error(`demo: ${dirname(dir)} is not enterable by others, so the demo account runs as root`);
}
const owner = asNobody ? { uid: 65534, gid: 65534 } : { uid: process.getuid(), gid: process.getgid() };
const info = createInstance({
  dir,
  imapPort: base + 143,
  imapsPort: base + 993,
  pop3Port: base + 110,
  pop3sPort: base + 995,
  ...owner,
});
const running = await startInstance(info, (who, line) => {
  const stamped = `${new Date().toISOString()} ${who}: ${line}`;
  appendFileSync(info.log, `${stamped}\n`);
  process.stderr.write(`${stamped}\n`);
});

let stopping = false;
const stop = async (code) => {
  if (stopping) return;
  stopping = true;
  rmSync(join(dir, "demo.json"), { force: true });
  await running.stop();
  process.exit(code);
};
process.on("SIGINT", () => stop(0));
process.on("SIGTERM", () => stop(0));
for (const [name, child] of [
  ["authdaemond", running.authdaemond],
  ["couriertcpd", running.tcpd],
  ["couriertcpd (imapd-ssl)", running.tcpdTls],
  ["couriertcpd (pop3d)", running.tcpdPop3],
  ["couriertcpd (pop3d-ssl)", running.tcpdPop3s],
].filter(([, child]) => child)) {
  child.on("exit", (code, sig) => {
    if (stopping) return;
    console.error(`demo: ${name} exited (${sig ?? code}); stopping`);
    stop(1);
  });
}

writeFileSync(join(dir, "demo.json"), `${JSON.stringify(info, null, 2)}\n`);
chmodSync(join(dir, "demo.json"), 0o600);
const { imap, imaps, pop3, pop3s, user, password, certificate } = info;
console.log(`
Courier-IMAP (TypeScript) demo is running; Ctrl-C stops it.

  IMAP      127.0.0.1:${imap}   (STARTTLS)
  IMAPS     127.0.0.1:${imaps}   (implicit TLS; certificate ${certificate}, CN=localhost)
  POP3      127.0.0.1:${pop3}   (STLS)
  POP3S     127.0.0.1:${pop3s}   (implicit TLS; same certificate)
  user      ${user}
  password  ${password}

Try:
  curl 'imap://127.0.0.1:${imap}/INBOX;UID=1' --user '${user}:${password}'
  curl --cacert ${certificate} --resolve localhost:${imaps}:127.0.0.1 'imaps://localhost:${imaps}/INBOX;UID=1' --user '${user}:${password}'
  openssl s_client -connect 127.0.0.1:${imap} -starttls imap -CAfile ${certificate}
  curl 'pop3://127.0.0.1:${pop3}/1' --user '${user}:${password}'
  curl --cacert ${certificate} --resolve localhost:${pop3s}:127.0.0.1 'pop3s://localhost:${pop3s}/1' --user '${user}:${password}'
  openssl s_client -connect 127.0.0.1:${pop3} -starttls pop3 -CAfile ${certificate}
  python3 -c "import imaplib; m=imaplib.IMAP4('127.0.0.1', ${imap}); print(m.login('${user}', '${password}')); print(m.select('INBOX'))"

Add an account (no restart needed):
  bin/userdb -f ${info.userdb} alice@example.com set uid=${owner.uid} gid=${owner.gid} home=${dir}/mail/alice mail=Maildir
  bin/userdbpw | bin/userdb -f ${info.userdb} alice@example.com set systempw
  bin/makeuserdb -f ${info.userdb}
  mkdir -p ${dir}/mail/alice/Maildir/{cur,new,tmp} && chown -R ${owner.uid}:${owner.gid} ${dir}/mail/alice

Instance: ${dir}   details: ${join(dir, "demo.json")}   log: ${info.log}
`);
