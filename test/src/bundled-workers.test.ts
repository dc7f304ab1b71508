// The single-file worker bundles (scripts/bundle.mjs): bin/imapd and bin/pop3d run them when
// they are current, through couriertcpd's pre-started pool, with STARTTLS and implicit TLS,
// and fall back to dist/ when a bundle is older than a package's build.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { after, before, test } from "node:test";
import { ImapFlow } from "imapflow";
import { bin, createInstance, type InstanceInfo, ROOT, type Running, startInstance } from "./lib/instance.js";
import { freePort } from "./lib/net.js";
import { waitUntil } from "./lib/procs.js";

const BUNDLES = {
  imapd: "packages/imapd/dist/bundle/imapd.cjs",
  pop3d: "packages/pop3d/dist/bundle/pop3d.cjs",
};
const { currentBundle } = createRequire(import.meta.url)(bin("_run.cjs")) as {
  currentBundle: (bundle: string) => string | undefined;
};

let dir: string;
let marks: string;
let info: InstanceInfo;
let server: Running;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "courier-bundle-"));
  marks = join(dir, "marks");
  mkdirSync(marks, { mode: 0o1777 });
  // Preloaded into every worker: notes which file its bin/ launcher loaded as the worker.
  const preload = join(dir, "mark-bundle.cjs");
  writeFileSync(
    preload,
    `const M = require("node:module"), fs = require("node:fs"), load = M._load;
M._load = function (request, ...rest) {
  const r = load.call(this, request, ...rest);
  if (/[\\\\/]bundle[\\\\/](imapd|pop3d)\\.cjs$/.test(request))
    fs.writeFileSync(${JSON.stringify(marks)} + "/" + process.pid, request);
  return r;
};\n`,
  );
  const nodeOptions = { NODE_OPTIONS: `"--require=${preload}"`, IMAP_LOGIN_FAIL_DELAY: "0" };
  info = createInstance({
    dir: join(dir, "instance"),
    imapPort: await freePort(),
    imapsPort: await freePort(),
    pop3Port: await freePort(),
    certBits: 2048,
    imapd: nodeOptions,
    pop3d: { NODE_OPTIONS: nodeOptions.NODE_OPTIONS, POP3_LOGIN_FAIL_DELAY: "0" },
  });
  server = await startInstance(info);
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const marked = () => readdirSync(marks).map((f) => readFileSync(join(marks, f), "utf8"));

test("the worker bundles are built, current, and their external files are there", () => {
  for (const [name, bundle] of Object.entries(BUNDLES)) {
    assert.equal(
      currentBundle(bundle),
      join(ROOT, bundle),
      `${name}: bundle missing or stale: run node scripts/bundle.mjs (npm run build)`,
    );
    // what stays outside (native packages, iconv-lite's CJK tables) is loaded by a path
    // relative to the bundle
    const text = readFileSync(join(ROOT, bundle), "utf8");
    for (const m of text.matchAll(/(?:require|import)\("(\.[^"]+)"\)/g)) {
      assert.ok(existsSync(join(ROOT, dirname(bundle), m[1])), `${name}: ${m[1]} missing`);
    }
  }
  const imapd = readFileSync(join(ROOT, BUNDLES.imapd), "utf8");
  assert.match(imapd, /require\("\.[^"]*iconv-lite\/encodings\/tables\/cp936\.json"\)/);
  assert.doesNotMatch(imapd, /(?:require|import)\("(?:koffi|lmdb)"\)/);
});

test("a bundle older than a package's build is not used", () => {
  const inputs = JSON.parse(readFileSync(join(ROOT, `${BUNDLES.pop3d}.inputs.json`), "utf8")) as string[];
  assert.ok(inputs.includes("packages/pop3d/dist/tsconfig.tsbuildinfo"), inputs.join(" "));
  // a bundle and one input of its own, by paths relative to the repository as the launchers give
  const b = join(dir, "stale.cjs");
  const input = join(dir, "x.tsbuildinfo");
  writeFileSync(b, "");
  writeFileSync(`${b}.inputs.json`, JSON.stringify([relative(ROOT, input)]));
  assert.equal(currentBundle(relative(ROOT, b)), b, "input missing, as in an installed tree");
  writeFileSync(input, "");
  utimesSync(b, new Date(0), new Date(0));
  assert.equal(currentBundle(relative(ROOT, b)), undefined, "input built after the bundle");
  utimesSync(input, new Date(0), new Date(0));
  utimesSync(b, new Date(), new Date());
  assert.equal(currentBundle(relative(ROOT, b)), b, "bundle newer again");
});

test("bin/imapd --help runs from the bundle", () => {
  const r = spawnSync(bin("imapd"), ["--help"], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Usage: imapd \[maildir\]/);
});

async function imapSession(port: number, secure: boolean): Promise<number> {
  const c = new ImapFlow({
    host: "127.0.0.1",
    port,
    secure,
    doSTARTTLS: secure ? undefined : true,
    tls: { rejectUnauthorized: false },
    auth: { user: info.user, pass: info.password },
    logger: false,
  });
  await c.connect();
  try {
    const box = await c.mailboxOpen("INBOX");
    const msg = await c.fetchOne("1", { envelope: true, bodyStructure: true, source: true });
    assert.ok(msg !== false && msg.source && msg.source.length > 0, "message 1 fetched");
    return box.exists;
  } finally {
    await c.logout();
  }
}

test("pre-started bundled imapd workers serve IMAP with STARTTLS and implicit TLS", async () => {
  assert.ok((await imapSession(info.imap, false)) > 0);
  assert.ok((await imapSession(info.imaps, true)) > 0);
  await waitUntil(() => marked().some((f) => f.endsWith(BUNDLES.imapd)), "an imapd worker ran the bundle");
  assert.ok(
    marked().every((f) => f.endsWith(BUNDLES.imapd) || f.endsWith(BUNDLES.pop3d)),
    marked().join(" "),
  );
});

test("a bundled pop3d worker serves POP3", async () => {
  const got = await new Promise<string>((resolve, reject) => {
    let text = "";
    const steps = [`USER ${info.user}\r\n`, `PASS ${info.password}\r\n`, "STAT\r\n", "QUIT\r\n"];
    let sent = 0;
    const s = connect(info.pop3!, "127.0.0.1");
    s.on("data", (d) => {
      text += d.toString();
      const replies = text.split("\r\n").filter((l) => /^[+-]/.test(l)).length;
      if (replies > sent && sent < steps.length && text.endsWith("\r\n")) s.write(steps[sent++]);
    });
    s.on("close", () => resolve(text));
    s.on("error", reject);
  });
  assert.match(got, /^\+OK/);
  assert.match(got, /\r\n\+OK \d+ \d+\r\n/, got);
  await waitUntil(() => marked().some((f) => f.endsWith(BUNDLES.pop3d)), "a pop3d worker ran the bundle");
});
