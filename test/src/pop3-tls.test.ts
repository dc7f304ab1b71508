// POP3 over TLS end to end (issue 9): pop3d-ssl (implicit TLS, config/pop3d-ssl.dist with
// pop3d-ssl.rc's overrides) and STLS on the plain port with POP3_TLS_REQUIRED=1, using the
// instance's self-signed certificate, driven by openssl s_client and curl.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { createInstance, type InstanceInfo, type Running, startInstance } from "./lib/instance.js";
import { freePort } from "./lib/net.js";
import { waitUntil } from "./lib/procs.js";

let dir: string;
let info: InstanceInfo;
let server: Running;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "courier-pop3tls-"));
  info = createInstance({
    dir,
    imapPort: await freePort(),
    imapsPort: await freePort(),
    pop3Port: await freePort(),
    pop3sPort: await freePort(),
    certBits: 2048,
    pop3d: { POP3_LOGIN_FAIL_DELAY: "0.2", POP3AUTH: '""', POP3AUTH_TLS: '"PLAIN LOGIN"' },
    pop3dSsl: { POP3_TLS_REQUIRED: "1" },
  });
  server = await startInstance(info);
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function sClient(args: string[], input: string) {
  return spawnSync(
    "openssl",
    ["s_client", "-CAfile", info.certificate, "-verify_return_error", "-verify_hostname", "localhost"].concat(
      ["-servername", "localhost", "-ign_eof", ...args],
    ),
    { input, encoding: "utf8", timeout: 20000 },
  );
}

/** Plain text on the STLS port: sends `text` after the greeting, returns all read once `until` matches. */
function plainExchange(text: string, until: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = "";
    const s = connect(info.pop3!, "127.0.0.1");
    s.on("data", (d) => {
      got += d.toString();
      if (until.test(got)) s.destroy();
    });
    s.once("data", () => s.write(text));
    s.on("close", () => resolve(got));
    s.on("error", reject);
  });
}

function curl(url: string, extra: string[] = []) {
  return spawnSync(
    "curl",
    ["-sS", "--max-time", "20", "--cacert", info.certificate, "--user", `${info.user}:${info.password}`]
      .concat(extra)
      .concat([url]),
    { encoding: "utf8" },
  );
}

test("openssl s_client: implicit TLS on pop3d-ssl verifies the certificate, greets, logs in", () => {
  const r = sClient(
    ["-connect", `127.0.0.1:${info.pop3s}`],
    `CAPA\r\nUSER ${info.user}\r\nPASS ${info.password}\r\nSTAT\r\nQUIT\r\n`,
  );
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /Verify return code: 0 \(ok\)/);
  assert.match(r.stdout, /^\+OK Hello there\.\r$/m);
  // pop3d-ssl.rc's POP3_STARTTLS=NO and POP3_TLS=1: no STLS, POP3AUTH_TLS's mechanisms
  assert.doesNotMatch(r.stdout, /^STLS/m);
  assert.match(r.stdout, /^SASL PLAIN LOGIN\r$/m);
  assert.match(r.stdout, /^\+OK Password required\.\r$/m, "POP3_TLS_REQUIRED=0 on pop3d-ssl");
  assert.match(r.stdout, /^\+OK logged in\.\r$/m);
  assert.match(r.stdout, /^\+OK 3 \d+\r$/m);
  assert.match(r.stdout, /^\+OK Bye-bye\.\r$/m);
});

test("openssl s_client -starttls pop3: STLS on the plain port, then CAPA and login over TLS", async () => {
  const r = sClient(
    ["-connect", `127.0.0.1:${info.pop3}`, "-starttls", "pop3"],
    `CAPA\r\nUSER ${info.user}\r\nPASS ${info.password}\r\nQUIT\r\n`,
  );
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /Verify return code: 0 \(ok\)/);
  assert.doesNotMatch(r.stdout, /^STLS/m, "STLS is not offered again after STLS");
  assert.match(r.stdout, /^SASL PLAIN LOGIN\r$/m);
  assert.match(r.stdout, /^\+OK logged in\.\r$/m);
  await waitUntil(
    () =>
      /pop3d: INFO: LOGIN, user=demo@example\.com, ip=\[[:f.\d]+\], port=\[\d+\], stls=1/.test(server.log()),
    "a LOGIN line with stls=1",
  );
});

test("POP3_TLS_REQUIRED=1: USER/PASS and AUTH refused in plain text, STLS offered", async () => {
  const out = await plainExchange(
    `CAPA\r\nUSER ${info.user}\r\nPASS ${info.password}\r\nAUTH PLAIN\r\nSTAT\r\nQUIT\r\n`,
    /Better luck next time\.\r\n/,
  );
  assert.match(out, /^\+OK Hello there\.\r$/m);
  assert.match(out, /^STLS\r$/m);
  assert.doesNotMatch(out, /^SASL/m, "POP3AUTH is empty");
  const refusals = out.match(/^-ERR TLS required to log in\.\r$/gm) ?? [];
  assert.equal(refusals.length, 3, out);
  assert.doesNotMatch(out, /logged in/);
  assert.match(out, /^-ERR Invalid command\.\r$/m, "STAT before login");
});

test("curl pop3s:// with the instance certificate as CA", () => {
  const r = curl(`pop3s://localhost:${info.pop3s}/1`, ["--resolve", `localhost:${info.pop3s}:127.0.0.1`]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Subject: Welcome to Courier-IMAP \(TypeScript\)\r$/m);
});

test("curl pop3:// --ssl-reqd uses STLS; without TLS curl's login is refused", () => {
  const ok = curl(`pop3://localhost:${info.pop3}/2`, [
    "--ssl-reqd",
    "--resolve",
    `localhost:${info.pop3}:127.0.0.1`,
  ]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^Subject: Your account\r$/m);
  const plain = curl(`pop3://127.0.0.1:${info.pop3}/2`);
  assert.notEqual(plain.status, 0, "a plain-text login is refused");
  assert.doesNotMatch(plain.stdout, /Subject:/);
});
