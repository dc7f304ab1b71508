// -block and -allow (spec/pop3d-and-tcpd.md §5.7, §5.4 step 7): option parsing, query names,
// the variables a hit sets, and couriertcpd against a DNS responder on a loopback UDP port.

import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import {
  applyAnswer,
  checkDnsLists,
  type DnsAnswer,
  dnsLookup,
  parseDnsList,
  queryName,
} from "../src/dnsbl.js";
import { parseOptions, UsageError } from "../src/options.js";
import { startDnsServer } from "./dns-server.js";
import { client, startTcpd, stop } from "./helpers.js";

/** Prints the DNS-list variables, one per line, then END; waits for a line before exiting. */
const SHOWVARS = 'env | grep -E "^(B[0-9]|BLOCK|ALLOW|W[0-9])" | sort; echo END; read x';

async function varsOf(port: number): Promise<Record<string, string>> {
  const c = client(port);
  const vars: Record<string, string> = {};
  for (let l = await c.line(); l !== undefined && l !== "END"; l = await c.line()) {
    const eq = l.indexOf("=");
    vars[l.slice(0, eq)] = l.slice(eq + 1);
  }
  c.sock.destroy();
  return vars;
}

test("-block/-allow values split as tcpd.c does", () => {
  assert.deepEqual(parseDnsList("bl.test", false), {
    allow: false,
    zone: "bl.test",
    displayZone: "bl.test",
    variable: "BLOCK",
    ip: undefined,
    msg: undefined,
  });
  assert.deepEqual(parseDnsList("zen.spamhaus.org=Spamhaus,SPAM/127.0.0.4,*", false), {
    allow: false,
    zone: "zen.spamhaus.org",
    displayZone: "Spamhaus",
    variable: "SPAM",
    ip: "127.0.0.4",
    msg: "*",
  });
  const m = parseDnsList("bl.test,BLOCK,Go away, @ is listed", false);
  assert.equal(m.msg, "Go away, @ is listed", "the message runs to the end, commas and all");
  assert.equal(parseDnsList("bl.test/127.0.0.2", false).ip, "127.0.0.2");
  assert.equal(parseDnsList("bl.test/127.0.0.2", false).variable, "BLOCK");
  assert.equal(parseDnsList("wl.test,,", true).variable, "BLOCK");
  assert.equal(parseDnsList("wl.test,,", true).msg, "");
  assert.equal(parseDnsList("wl.test,W", true).msg, undefined);
  assert.throws(() => parseDnsList("", false), /-block=: no zone/);
  assert.throws(
    () => parseDnsList("bl.test,B/nope", true),
    /-allow=bl.test,B\/nope: not an IPv4 address: nope/,
  );
});

test("options: -block and -allow kept in command-line order; bad values are usage errors", () => {
  const o = parseOptions(["-allow=wl.test", "-block=bl.test,X", "-drop", "143", "/bin/true"]);
  assert.deepEqual(
    o.dnsLists.map((l) => [l.allow, l.zone, l.variable]),
    [
      [true, "wl.test", "BLOCK"],
      [false, "bl.test", "X"],
    ],
  );
  assert.throws(() => parseOptions(["-block=", "143", "/bin/true"]), UsageError);
  assert.deepEqual(parseOptions(["143", "/bin/true"]).dnsLists, []);
});

test("query names: IPv4 and IPv4-mapped reversed, IPv6 in reversed nibbles", () => {
  assert.equal(queryName("::ffff:127.0.0.1", "bl.test"), "1.0.0.127.bl.test");
  assert.equal(queryName("192.0.2.99", "bl.test"), "99.2.0.192.bl.test");
  assert.equal(
    queryName("2001:db8::1", "bl.test"),
    "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.bl.test",
  );
});

test("a hit's variables: message forms, /ip, -allow's ALLOW_n, TXT-only answers", () => {
  const ip = "::ffff:192.0.2.1";
  const hit: DnsAnswer = { a: ["127.0.0.2", "127.0.0.4"], txt: "listed, see https://bl.test/" };
  const run = (value: string, allow: boolean, answer: DnsAnswer, n = { n: 0 }) => {
    const vars: Record<string, string> = {};
    const r = applyAnswer(parseDnsList(value, allow), answer, ip, vars, n);
    return { r, vars };
  };
  assert.deepEqual(run("bl.test=BL", false, { a: ["127.0.0.2"] }).vars, {
    BLOCK: "Blacklisted by bl.test",
    BLOCK_IP: "127.0.0.2",
    BLOCK_ZONE: "BL",
  });
  assert.deepEqual(run("bl.test,B,*", false, hit).vars, {
    B: "listed, see https://bl.test/",
    B_TXT: "listed, see https://bl.test/",
    B_IP: "127.0.0.2",
    B_ZONE: "bl.test",
  });
  assert.equal(run("bl.test,B,*", false, { a: ["127.0.0.2"] }).vars.B, "Blacklisted by bl.test");
  assert.equal(run("bl.test,B,@ is @ listed", false, hit).vars.B, "::ffff:192.0.2.1 is @ listed");
  assert.equal(run("bl.test,B/127.0.0.4", false, hit).vars.B_IP, "127.0.0.4");
  assert.deepEqual(run("bl.test,B/127.0.0.9,*", false, hit), { r: false, vars: {} });
  assert.deepEqual(run("bl.test,B,*", false, { a: [], txt: "only txt" }).vars, {
    B: "only txt",
    B_TXT: "only txt",
    B_ZONE: "bl.test",
  });
  assert.deepEqual(run("bl.test", false, { a: [], txt: "txt" }), { r: false, vars: {} }, "no TXT asked for");
  const n = { n: 0 };
  assert.deepEqual(run("wl.test,W1", true, hit, n).vars, {
    W1: "",
    ALLOW_0: "W1",
    W1_IP: "127.0.0.2",
    W1_ZONE: "wl.test",
  });
  assert.deepEqual(run("wl.test,W2,", true, hit, n).vars, {
    W2: "",
    ALLOW_1: "W2",
    W2_IP: "127.0.0.2",
    W2_TXT: "listed, see https://bl.test/",
    W2_ZONE: "wl.test",
  });
});

test("lists in order, each skipped when its variable is already set; queries sent together", async () => {
  const asked: string[] = [];
  const lookup = async (name: string, _zone: string, wantTxt: boolean): Promise<DnsAnswer> => {
    asked.push(`${name}${wantTxt ? " +txt" : ""}`);
    await new Promise((r) => setTimeout(r, 50));
    return name.startsWith("1.0.0.127.") ? { a: ["127.0.0.2"] } : { a: [] };
  };
  const lists = ["wl.test", "bl.test", "bl2.test,PRESET", "bl3.test,OTHER,*"].map((v, i) =>
    parseDnsList(v, i === 0),
  );
  const vars: Record<string, string> = { PRESET: "from access" };
  const t0 = Date.now();
  await checkDnsLists(lists, "::ffff:127.0.0.1", vars, lookup, {});
  assert.ok(Date.now() - t0 < 140, "the lookups run concurrently");
  assert.deepEqual(asked, ["1.0.0.127.wl.test", "1.0.0.127.bl.test", "1.0.0.127.bl3.test +txt"]);
  assert.deepEqual(vars, {
    PRESET: "from access",
    BLOCK: "",
    ALLOW_0: "BLOCK",
    BLOCK_IP: "127.0.0.2",
    BLOCK_ZONE: "wl.test",
    OTHER: "Blacklisted by bl3.test",
    OTHER_IP: "127.0.0.2",
    OTHER_ZONE: "bl3.test",
  });
  const inherited: Record<string, string> = {};
  await checkDnsLists([parseDnsList("bl.test", false)], "::ffff:127.0.0.1", inherited, lookup, { BLOCK: "" });
  assert.deepEqual(inherited, {}, "BLOCK in couriertcpd's own environment counts as set");
});

test("dnsLookup: NXDOMAIN is no hit; a silent server times out within the bound, logged once", async () => {
  const dns = await startDnsServer({ "2.0.0.127.bl.test": { a: ["127.0.0.2"], txt: ["why"] } }, [
    "slow.test",
  ]);
  const logs: string[] = [];
  try {
    const lookup = dnsLookup((l) => logs.push(l), { server: dns.address, timeoutMs: 300 });
    assert.deepEqual(await lookup("2.0.0.127.bl.test", "bl.test", true), { a: ["127.0.0.2"], txt: "why" });
    assert.deepEqual(await lookup("2.0.0.127.bl.test", "bl.test", false), {
      a: ["127.0.0.2"],
      txt: undefined,
    });
    assert.deepEqual(await lookup("3.0.0.127.bl.test", "bl.test", true), { a: [], txt: undefined });
    const t0 = Date.now();
    assert.deepEqual(await lookup("1.0.0.127.slow.test", "slow.test", true), { a: [], txt: undefined });
    assert.ok(Date.now() - t0 < 1000, `bounded: ${Date.now() - t0} ms`);
    await lookup("5.0.0.127.slow.test", "slow.test", false);
    assert.equal(logs.length, 1, logs.join("\n"));
    assert.match(
      logs[0],
      /^WARN: DNS lookup of 1\.0\.0\.127\.slow\.test failed \(\w+\), treated as not listed$/,
    );
  } finally {
    await dns.close();
  }
});

// ---- couriertcpd against the responder --------------------------------------------------

const LISTED = {
  "1.0.0.127.bl.test": { a: ["127.0.0.2"], txt: ["Listed: see https://bl.test/q?127.0.0.1"] },
  "1.0.0.127.wl.test": { a: ["127.0.0.10"] },
};

async function withDns<T>(fn: (env: NodeJS.ProcessEnv) => Promise<T>): Promise<T> {
  const dns = await startDnsServer(LISTED, ["slow.test"]);
  try {
    return await fn({ ...process.env, COURIERTCPD_DNS_SERVER: dns.address });
  } finally {
    await dns.close();
  }
}

test("couriertcpd -block: each message form, /ip, display zone, access-file variables win", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tcpd-dnsbl-test-"));
  writeFileSync(join(dir, "access"), "127.0.0.1\tallow,B7=from access\n");
  await withDns(async (env) => {
    const t = await startTcpd(
      [
        `-access=${join(dir, "access")}`,
        "-block=bl.test",
        "-block=bl.test,B1",
        "-block=bl.test=Example List,B2,*",
        "-block=bl.test,B3,Go away @, you are listed",
        "-block=bl.test,B4/127.0.0.9",
        "-block=bl.test,B5/127.0.0.2",
        "-block=nothere.test,B6",
        "-block=bl.test,B7",
      ],
      ["/bin/sh", "-c", SHOWVARS],
      "127.0.0.1",
      env,
    );
    try {
      assert.deepEqual(await varsOf(t.port), {
        BLOCK: "Blacklisted by bl.test",
        BLOCK_IP: "127.0.0.2",
        BLOCK_ZONE: "bl.test",
        B1: "Blacklisted by bl.test",
        B1_IP: "127.0.0.2",
        B1_ZONE: "bl.test",
        B2: "Listed: see https://bl.test/q?127.0.0.1",
        B2_IP: "127.0.0.2",
        B2_TXT: "Listed: see https://bl.test/q?127.0.0.1",
        B2_ZONE: "Example List",
        B3: "Go away ::ffff:127.0.0.1, you are listed",
        B3_IP: "127.0.0.2",
        B3_ZONE: "bl.test",
        B5: "Blacklisted by bl.test",
        B5_IP: "127.0.0.2",
        B5_ZONE: "bl.test",
        B7: "from access",
      });
    } finally {
      await stop(t);
    }
  });
});

test("couriertcpd -allow before -block whitelists; -drop then lets the client in", async () => {
  await withDns(async (env) => {
    const t = await startTcpd(
      ["-allow=wl.test", "-block=bl.test", "-allow=wl.test,W1,", "-drop"],
      ["/bin/sh", "-c", SHOWVARS],
      "127.0.0.1",
      env,
    );
    try {
      assert.deepEqual(await varsOf(t.port), {
        BLOCK: "",
        ALLOW_0: "BLOCK",
        ALLOW_1: "W1",
        BLOCK_IP: "127.0.0.10",
        BLOCK_ZONE: "wl.test",
        W1: "",
        W1_IP: "127.0.0.10",
        W1_ZONE: "wl.test",
      });
      assert.doesNotMatch(t.stderr(), /dropped/);
    } finally {
      await stop(t);
    }
  });
});

test("couriertcpd -block with -drop closes a listed client; an unlisted one is served", async () => {
  await withDns(async (env) => {
    const t = await startTcpd(
      ["-block=bl.test", "-drop", "-denymsg=blocked"],
      ["/bin/sh", "-c", SHOWVARS],
      "127.0.0.1",
      env,
    );
    try {
      const c = client(t.port);
      assert.equal(await c.line(), "blocked");
      assert.equal(await c.line(), undefined);
      assert.match(t.stderr(), /^WARN: dropped blocked connection from ::ffff:127\.0\.0\.1$/m);
    } finally {
      await stop(t);
    }
    const u = await startTcpd(["-block=other.test", "-drop"], ["/bin/sh", "-c", SHOWVARS], "127.0.0.1", env);
    try {
      assert.deepEqual(await varsOf(u.port), {});
      assert.doesNotMatch(u.stderr(), /dropped|WARN/);
    } finally {
      await stop(u);
    }
  });
});

test("couriertcpd: a DNS list that never answers delays clients by the bound only, concurrently", async () => {
  await withDns(async (env) => {
    const t = await startTcpd(
      ["-block=slow.test", "-block=bl.test,B1", "-drop"],
      ["/bin/sh", "-c", SHOWVARS],
      "127.0.0.1",
      { ...env, COURIERTCPD_DNS_TIMEOUT_MS: "700" },
    );
    try {
      const t0 = Date.now();
      const all = await Promise.all([varsOf(t.port), varsOf(t.port), varsOf(t.port)]);
      const took = Date.now() - t0;
      for (const v of all) assert.equal(v.B1, "Blacklisted by bl.test", "the other list still answers");
      for (const v of all) assert.equal(v.BLOCK, undefined);
      assert.ok(took >= 600 && took < 1900, `three clients in ${took} ms, not one after the other`);
      const warns = t.stderr().match(/^WARN: DNS lookup of .*slow\.test failed.*$/gm) ?? [];
      assert.equal(warns.length, 1, t.stderr());
    } finally {
      await stop(t);
    }
  });
});
