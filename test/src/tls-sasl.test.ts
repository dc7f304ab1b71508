// TLS and SASL end to end (issue 9): imapd-ssl and STARTTLS with the instance's
// self-signed certificate, every SASL mechanism through the real authdaemond, client
// certificates for EXTERNAL, and IMAP_TLS_REQUIRED, driven by openssl, curl, python3
// imaplib and imapflow.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ImapFlow } from "imapflow";
import { bin, createInstance, type InstanceInfo, type Running, run, startInstance } from "./lib/instance.js";
import { freePort } from "./lib/net.js";
import { waitUntil } from "./lib/procs.js";

let dir: string;
let info: InstanceInfo;
let server: Running;
const pki = (f: string) => join(dir, "pki", f);

function openssl(args: string[]): void {
  run("openssl", args);
}

/** A CA, a client certificate it signed, and a client certificate from an unknown CA. */
function makeClientCertificates(user: string): void {
  run("mkdir", ["-p", pki("")]);
  for (const ca of ["ca", "rogue-ca"]) {
    openssl(
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        pki(`${ca}.key`),
        "-out",
        pki(`${ca}.pem`),
      ].concat(["-days", "2", "-subj", `/CN=${ca}`]),
    );
  }
  for (const [name, ca] of [
    ["client", "ca"],
    ["rogue", "rogue-ca"],
  ]) {
    openssl(
      [
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        pki(`${name}.key`),
        "-out",
        pki(`${name}.csr`),
      ].concat(["-subj", `/CN=Demo User/emailAddress=${user}`]),
    );
    openssl(
      ["x509", "-req", "-in", pki(`${name}.csr`), "-CA", pki(`${ca}.pem`), "-CAkey", pki(`${ca}.key`)].concat(
        ["-CAcreateserial", "-out", pki(`${name}.pem`), "-days", "2"],
      ),
    );
  }
}

/** Stores a secret made by `userdbpw <option>` in the account's userdb field. */
function setSecret(option: string, field: string, password: string): void {
  const secret = run(bin("userdbpw"), [option], `${password}\n`).trim();
  run(bin("userdb"), ["-f", info.userdb, info.user, "set", field], `${secret}\n`);
}

const MECHS = "AUTH=PLAIN AUTH=LOGIN AUTH=CRAM-MD5 AUTH=CRAM-SHA1 AUTH=CRAM-SHA256 AUTH=SCRAM-SHA-256";

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "courier-tls-"));
  makeClientCertificates("demo@example.com");
  info = createInstance({
    dir,
    imapPort: await freePort(),
    imapsPort: await freePort(),
    certBits: 2048,
    imapd: {
      IMAP_LOGIN_FAIL_DELAY: "0.2",
      IMAP_CAPABILITY: '"IMAP4rev1 LITERAL+"',
      IMAP_CAPABILITY_TLS: `"IMAP4rev1 LITERAL+ SASL-IR ${MECHS}"`,
    },
    imapdSsl: {
      IMAP_TLS_REQUIRED: "1",
      TLS_VERIFYPEER: "PEER",
      TLS_TRUSTCERTS: pki("ca.pem"),
      TLS_EXTERNAL: "emailaddress",
    },
  });
  setSecret("-hmac-md5", "hmac-md5pw", info.password);
  setSecret("-hmac-sha1", "hmac-sha1pw", info.password);
  setSecret("-hmac-sha256", "hmac-sha256pw", info.password);
  setSecret("-scram-sha-256", "scram-sha-256pw", info.password);
  run(bin("makeuserdb"), ["-f", info.userdb]);
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

/**
 * A plain-text exchange on the STARTTLS port: after the greeting sends `text` in one write,
 * and returns everything read once `until` matches.
 */
function plainExchange(text: string, until: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let got = "";
    const s = connect(info.imap, "127.0.0.1");
    s.on("data", (d) => {
      got += d.toString();
      if (until.test(got)) s.destroy();
    });
    s.once("data", () => s.write(text));
    s.on("close", () => resolve(got));
    s.on("error", reject);
  });
}

test("openssl s_client: implicit TLS on imapd-ssl verifies the certificate and greets", () => {
  const r = sClient(["-connect", `127.0.0.1:${info.imaps}`], "a CAPABILITY\r\nb LOGOUT\r\n");
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /Verify return code: 0 \(ok\)/);
  assert.match(
    r.stdout,
    /^\* OK \[CAPABILITY IMAP4rev1 LITERAL\+ SASL-IR AUTH=PLAIN .*AUTH=SCRAM-SHA-256 .*\] Courier-IMAP ready/m,
  );
  assert.doesNotMatch(r.stdout, /STARTTLS|LOGINDISABLED/);
  assert.match(r.stdout, /^b OK LOGOUT completed/m);
});

test("openssl s_client -starttls imap: STARTTLS, then the TLS capabilities", () => {
  const r = sClient(
    ["-connect", `127.0.0.1:${info.imap}`, "-starttls", "imap"],
    "a CAPABILITY\r\nb LOGOUT\r\n",
  );
  assert.equal(r.status, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /Verify return code: 0 \(ok\)/);
  assert.match(r.stdout, new RegExp(`^\\* CAPABILITY IMAP4rev1 LITERAL\\+ SASL-IR ${MECHS} ENABLE`, "m"));
  assert.match(r.stdout, /^b OK LOGOUT completed/m);
});

test("IMAP_TLS_REQUIRED: LOGINDISABLED, and LOGIN/AUTHENTICATE get NO STARTTLS required", async () => {
  const out = await plainExchange(
    `a LOGIN ${info.user} ${info.password}\r\nb AUTHENTICATE PLAIN\r\nz LOGOUT\r\n`,
    /^z OK/m,
  );
  assert.match(out, /^\* OK \[CAPABILITY IMAP4rev1 LITERAL\+ STARTTLS LOGINDISABLED ENABLE UTF8=ACCEPT\]/);
  assert.match(out, /^a NO STARTTLS required\r$/m);
  assert.match(out, /^b NO STARTTLS required\r$/m);
});

test("STARTTLS discards plain-text input sent along with it", async () => {
  const out = await plainExchange("a STARTTLS\r\nb CAPABILITY\r\n", /^a OK.*\r\n/m);
  assert.match(out, /^a OK Begin SSL\/TLS negotiation now\.\r$/m);
  await new Promise((r) => setTimeout(r, 300));
  assert.doesNotMatch(out, /^b /m, "the pipelined command was not run");
  // the discarded bytes never reached the TLS layer: the handshake just saw the close
  await waitUntil(
    () => /STARTTLS failed, .*: connection closed during the TLS handshake/.test(server.log()),
    "log",
  );
});

test("curl imaps:// with the demo's certificate as CA", () => {
  const url = `imaps://localhost:${info.imaps}/INBOX;UID=1`;
  const r = spawnSync(
    "curl",
    [
      "-sS",
      "--max-time",
      "20",
      "--cacert",
      info.certificate,
      "--resolve",
      `localhost:${info.imaps}:127.0.0.1`,
    ].concat(["--user", `${info.user}:${info.password}`, url]),
    { encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Subject: Welcome to Courier-IMAP \(TypeScript\)\r$/m);
});

const PYTHON_MECHS = String.raw`
import base64, hashlib, hmac, imaplib, json, os, ssl, sys
port, starttls_port, user, pw, ca = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
ctx = ssl.create_default_context(cafile=ca)

def cram(alg):
    return lambda ch: (user + " " + hmac.new(pw.encode(), ch, alg).hexdigest()).encode()

def login_mech():
    answers = iter([user, pw])
    return lambda ch: next(answers).encode()

def scram():
    cnonce = base64.b64encode(os.urandom(18)).decode()
    bare = "n=%s,r=%s" % (user, cnonce)
    st = {}
    def step(ch):
        if "n" not in st:
            st["n"] = 1
            return ("n,," + bare).encode()
        if st["n"] == 1:
            sf = ch.decode()
            a = dict(kv.split("=", 1) for kv in sf.split(","))
            assert a["r"].startswith(cnonce)
            salted = hashlib.pbkdf2_hmac("sha256", pw.encode(), base64.b64decode(a["s"]), int(a["i"]))
            ck = hmac.new(salted, b"Client Key", "sha256").digest()
            cfwp = "c=biws,r=" + a["r"]
            am = ("%s,%s,%s" % (bare, sf, cfwp)).encode()
            sig = hmac.new(hashlib.sha256(ck).digest(), am, "sha256").digest()
            st["v"] = base64.b64encode(hmac.new(hmac.new(salted, b"Server Key", "sha256").digest(), am, "sha256").digest()).decode()
            st["n"] = 2
            return (cfwp + ",p=" + base64.b64encode(bytes(x ^ y for x, y in zip(ck, sig))).decode()).encode()
        assert ch.decode() == "v=" + st["v"], "server signature"
        st["verified"] = True
        return b""
    return step, st

out = {}
def attempt(name, fn, connect=lambda: imaplib.IMAP4_SSL("localhost", port, ssl_context=ctx)):
    m = connect()
    try:
        out[name] = fn(m)[0]
        out[name + " select"] = m.select("INBOX")[1][0].decode()
        m.logout()
    except Exception as e:
        out[name] = "error: %s" % e

attempt("LOGIN command", lambda m: m.login(user, pw))
attempt("PLAIN", lambda m: m.authenticate("PLAIN", lambda ch: ("\0%s\0%s" % (user, pw)).encode()))
attempt("LOGIN", lambda m: m.authenticate("LOGIN", login_mech()))
attempt("CRAM-MD5", lambda m: m.login_cram_md5(user, pw))
attempt("CRAM-SHA1", lambda m: m.authenticate("CRAM-SHA1", cram("sha1")))
attempt("CRAM-SHA256", lambda m: m.authenticate("CRAM-SHA256", cram("sha256")))
step, st = scram()
attempt("SCRAM-SHA-256", lambda m: m.authenticate("SCRAM-SHA-256", step))
out["SCRAM server verified"] = st.get("verified", False)
step2, _ = scram()
pw_saved, pw = pw, "wrong"
attempt("SCRAM-SHA-256 wrong password", lambda m: m.authenticate("SCRAM-SHA-256", scram()[0]))
pw = pw_saved
def starttls():
    m = imaplib.IMAP4("localhost", starttls_port)
    m.starttls(ssl_context=ctx)
    return m
attempt("STARTTLS + PLAIN", lambda m: m.authenticate("PLAIN", lambda ch: ("\0%s\0%s" % (user, pw)).encode()), starttls)
print(json.dumps(out))
`;

test("python3 imaplib logs in with LOGIN, PLAIN, LOGIN, CRAM-MD5/SHA1/SHA256 and SCRAM-SHA-256", async () => {
  const r = spawnSync(
    "python3",
    ["-c", PYTHON_MECHS, String(info.imaps), String(info.imap), info.user, info.password, info.certificate],
    { encoding: "utf8", timeout: 60000 },
  );
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  for (const m of [
    "LOGIN command",
    "PLAIN",
    "LOGIN",
    "CRAM-MD5",
    "CRAM-SHA1",
    "CRAM-SHA256",
    "SCRAM-SHA-256",
    "STARTTLS + PLAIN",
  ]) {
    assert.equal(out[m], "OK", `${m}: ${out[m]}`);
    assert.equal(out[`${m} select`], "3", `${m} selects INBOX`);
  }
  assert.equal(out["SCRAM server verified"], true, "the client verified the server's signature");
  assert.match(out["SCRAM-SHA-256 wrong password"], /Login failed/);
  const starttls =
    /INFO: LOGIN, user=demo@example\.com, ip=\[[:f.\d]+\], port=\[\d+\], protocol=IMAP, starttls=1/;
  await waitUntil(() => starttls.test(server.log()), "a LOGIN line with starttls=1");
});

function flow(opts: { secure: boolean; loginMethod?: string }): ImapFlow {
  return new ImapFlow({
    host: "127.0.0.1",
    port: opts.secure ? info.imaps : info.imap,
    secure: opts.secure,
    doSTARTTLS: opts.secure ? undefined : true,
    servername: "localhost",
    tls: { ca: readFileSync(info.certificate) },
    auth: { user: info.user, pass: info.password, loginMethod: opts.loginMethod },
    logger: false,
  });
}

for (const [secure, loginMethod] of [
  [true, "LOGIN"],
  [true, "AUTH=PLAIN"],
  [true, "AUTH=LOGIN"],
  [false, "AUTH=PLAIN"],
  [false, "LOGIN"],
] as const) {
  test(`imapflow over ${secure ? "implicit TLS" : "STARTTLS"} with ${loginMethod}`, async () => {
    const c = flow({ secure, loginMethod });
    await c.connect();
    try {
      assert.equal(c.secureConnection || !secure, true);
      const box = await c.mailboxOpen("INBOX");
      assert.equal(box.exists, 3);
    } finally {
      await c.logout();
    }
  });
}

const PYTHON_EXTERNAL = `
import imaplib, json, ssl, sys
port, ca, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
ctx = ssl.create_default_context(cafile=ca)
ctx.load_cert_chain(cert, key)
try:
    m = imaplib.IMAP4_SSL("localhost", port, ssl_context=ctx)
    caps = " ".join(m.capabilities)
    typ = m.authenticate("EXTERNAL", lambda ch: b"")[0]
    print(json.dumps({"caps": caps, "auth": typ, "exists": m.select("INBOX")[1][0].decode()}))
    m.logout()
except Exception as e:
    print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}))
`;

test("a client certificate from the trusted CA logs in with AUTHENTICATE EXTERNAL", () => {
  const r = spawnSync(
    "python3",
    ["-c", PYTHON_EXTERNAL, String(info.imaps), info.certificate, pki("client.pem"), pki("client.key")],
    {
      encoding: "utf8",
      timeout: 30000,
    },
  );
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.error, undefined);
  assert.match(out.caps, /AUTH=EXTERNAL/);
  assert.equal(out.auth, "OK");
  assert.equal(out.exists, "3");
});

test("a client certificate from an unknown CA is refused", async () => {
  const r = spawnSync(
    "python3",
    ["-c", PYTHON_EXTERNAL, String(info.imaps), info.certificate, pki("rogue.pem"), pki("rogue.key")],
    {
      encoding: "utf8",
      timeout: 30000,
    },
  );
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.ok(out.error, `refused: ${r.stdout}`);
  await waitUntil(() => /client certificate refused/.test(server.log()), "the refusal in the log");
});

test("without a client certificate EXTERNAL is neither offered nor accepted", () => {
  const r = sClient(["-connect", `127.0.0.1:${info.imaps}`], "a AUTHENTICATE EXTERNAL =\r\nb LOGOUT\r\n");
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /AUTH=EXTERNAL/);
  assert.match(r.stdout, /^a NO Unsupported authentication mechanism\./m);
});
