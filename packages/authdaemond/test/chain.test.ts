import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { ACCEPT, type AuthModule, type ModuleResult, REJECT, TEMPFAIL } from "@courier-imap/authlib";
import {
  ConfigError,
  handleRequest,
  Logger,
  loadSettings,
  parseAuthdaemonrc,
  serveConnection,
} from "../src/index.js";

test("authdaemonrc: comments, quotes, no trimming of names, later wins, bad line names file and line", () => {
  const rc = parseAuthdaemonrc(
    '##NAME: x:0\nauthmodulelist="authuserdb authpam" # trailing\ndaemons=3\ndaemons=  5\n indented=1\nDEFAULTOPTIONS="a=1,b#c"\n\n',
    "rc",
  );
  assert.equal(rc.get("authmodulelist"), "authuserdb authpam");
  assert.equal(rc.get("daemons"), "5");
  assert.equal(rc.get(" indented"), "1");
  assert.equal(rc.get("DEFAULTOPTIONS"), "a=1,b");
  assert.throws(() => parseAuthdaemonrc("daemons=1\n\nthis is wrong\n", "/etc/x"), {
    name: "Error",
    message: /Bad line in \/etc\/x, line 3: this is wrong/,
  });
});

test("settings: defaults, missing daemons warning, environment wins for DEBUG_LOGIN/DEFAULTOPTIONS", () => {
  const dir = mkdtempSync(join(tmpdir(), "authdaemonrc-"));
  const file = join(dir, "authdaemonrc");
  writeFileSync(file, 'DEBUG_LOGIN=2\nDEFAULTOPTIONS="x=1"\nUSERDB=/u\n');
  const warnings: string[] = [];
  const s = loadSettings(file, { DEFAULTOPTIONS: "y=2", USERDB: "/env" }, warnings);
  assert.deepEqual(s.modules, ["authuserdb"]);
  assert.equal(s.daemons, 1);
  assert.match(warnings[0], /missing 'daemons' setting, using 1/);
  assert.equal(s.debugLogin, 2);
  assert.equal(s.defaultOptions, "y=2");
  assert.equal(s.userdb, "/u");
  assert.equal(s.authdaemonvar, "/run/courier/authdaemon");
  assert.throws(() => loadSettings(join(dir, "none"), {}), ConfigError);
});

function fake(name: string, result: ModuleResult | (() => never), calls: string[]): AuthModule {
  const run = async () => {
    calls.push(name);
    return typeof result === "function" ? result() : result;
  };
  return { name, pre: run, auth: run };
}

const quiet = new Logger(0, () => {});
const PRE = { cmd: "PRE" as const, meta: {}, module: ".", service: "imap", userid: "u" };
const rec = { uid: 1, gid: 2, home: "/h", address: "u" };

test("module chain: REJECT tries the next, TEMPFAIL stops silently, all REJECT gives FAIL", async () => {
  const calls: string[] = [];
  const ctx = (modules: AuthModule[]) => ({ modules, defaultOptions: "", log: quiet });
  assert.equal(
    await handleRequest(PRE, ctx([fake("a", REJECT(), calls), fake("b", ACCEPT(rec), calls)])),
    "UID=1\nGID=2\nHOME=/h\nADDRESS=u\n.\n",
  );
  assert.deepEqual(calls, ["a", "b"]);
  calls.length = 0;
  assert.equal(
    await handleRequest(PRE, ctx([fake("a", TEMPFAIL("db down"), calls), fake("b", ACCEPT(rec), calls)])),
    null,
  );
  assert.deepEqual(calls, ["a"]);
  assert.equal(await handleRequest(PRE, ctx([fake("a", REJECT(), calls)])), "FAIL\n");
  assert.equal(await handleRequest({ ...PRE, module: "b" }, ctx([fake("a", ACCEPT(rec), calls)])), "FAIL\n");
  const thrower = fake(
    "x",
    () => {
      throw new Error("boom");
    },
    calls,
  );
  assert.equal(await handleRequest(PRE, ctx([thrower])), null);
});

test("a value with a newline is a module error (no reply), DEFAULTOPTIONS are merged", async () => {
  const evil = fake("a", ACCEPT({ ...rec, home: "/h\nUID=0" }), []);
  assert.equal(await handleRequest(PRE, { modules: [evil], defaultOptions: "", log: quiet }), null);
  const good = fake("a", ACCEPT({ ...rec, options: "disablepop3=1" }), []);
  assert.equal(
    await handleRequest(PRE, {
      modules: [good],
      defaultOptions: "disablewebmail=1,disablepop3=0",
      log: quiet,
    }),
    "UID=1\nGID=2\nHOME=/h\nADDRESS=u\nOPTIONS=disablepop3=1,disablewebmail=1\n.\n",
  );
});

test("log lines replace control characters", () => {
  const lines: string[] = [];
  new Logger(1, (l) => lines.push(l)).debug("user\nERR: forged");
  assert.deepEqual(lines, ["DEBUG: user.ERR: forged\n"]);
});

test("a client that stalls is dropped after the read timeout, a trickling one at the deadline", async () => {
  const dir = mkdtempSync(join(tmpdir(), "authconn-"));
  const path = join(dir, "s");
  const server = createServer({ allowHalfOpen: true }, (sock) =>
    serveConnection(sock, async () => "FAIL\n", quiet, { read: 100, deadline: 400 }),
  );
  await new Promise<void>((r) => server.listen(path, r));
  const timed = (trickle: boolean) =>
    new Promise<number>((resolve) => {
      const start = Date.now();
      const s = connect(path, () => s.write("PRE . imap"));
      const t = trickle ? setInterval(() => s.write("x"), 50) : undefined;
      s.on("data", () => assert.fail("no reply expected"));
      // A trickled write can race the server's close: EPIPE is the expected end here.
      s.on("error", () => {});
      s.on("close", () => {
        clearInterval(t);
        resolve(Date.now() - start);
      });
    });
  const stalled = await timed(false);
  const trickled = await timed(true);
  // Lower bounds are exact; upper bounds leave room for a loaded test machine.
  assert.ok(stalled >= 90 && stalled < 380, `stalled: ${stalled} ms`);
  assert.ok(trickled >= 380 && trickled < 3000, `trickled: ${trickled} ms`);
  server.close();
});
