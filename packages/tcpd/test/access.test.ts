import assert from "node:assert/strict";
import { test } from "node:test";
import { AccessDb, addressKeys, parseAssignments } from "../src/access.js";
import { parseSource } from "../src/access-load.js";
import { courierIp, ipv6Groups } from "../src/address.js";
import { expandNet } from "../src/cidr.js";
import { parseProxyLine } from "../src/haproxy.js";

test("addresses: IPv4 as ::ffff:, IPv6 groups expanded", () => {
  assert.equal(courierIp("192.0.2.1"), "::ffff:192.0.2.1");
  assert.equal(courierIp("2001:DB8::1"), "2001:db8::1");
  assert.deepEqual(ipv6Groups("2001:db8::1"), [
    "2001",
    "0db8",
    "0000",
    "0000",
    "0000",
    "0000",
    "0000",
    "0001",
  ]);
  assert.deepEqual(ipv6Groups("::ffff:192.0.2.1")?.slice(5), ["ffff", "c000", "0201"]);
});

test("lookup keys: the address, then shorter prefixes; mapped IPv4 in IPv4 form", () => {
  assert.deepEqual(addressKeys("::ffff:192.168.0.5"), ["192.168.0.5", "192.168.0", "192.168", "192"]);
  assert.deepEqual(addressKeys("2001:db8::1").slice(0, 2), [
    ":2001:0db8:0000:0000:0000:0000:0000:0001",
    ":2001:0db8:0000:0000:0000:0000:0000",
  ]);
  assert.equal(addressKeys("2001:db8::1").at(-1), ":2001");
});

test("values: deny, allow with assignments, quotes keep commas", () => {
  assert.deepEqual(parseAssignments(` A=1 , B="x,y",C, D='q'`), { A: "1", B: "x,y", C: "", D: "q" });
  const db = new AccessDb(
    parseSource(
      [
        "# comment",
        "192.168.0\tallow,RELAYCLIENT",
        "192.168.0.9\tdeny",
        "10.1.2.3\tallow,MAXCPERIP=50",
        ":2001:0db8\tallow,NET=doc",
        "*\tdeny",
        "*.1143\tdeny",
        "127.0.0.1.1143\tallow,LOCAL=yes",
        "",
      ].join("\n"),
      "t",
    ),
  );
  assert.deepEqual(db.remote("::ffff:192.168.0.4"), {
    deny: false,
    vars: { RELAYCLIENT: "" },
    key: "192.168.0",
  });
  assert.equal(db.remote("::ffff:192.168.0.9")?.deny, true, "most specific wins");
  assert.deepEqual(db.remote("10.1.2.3")?.vars, { MAXCPERIP: "50" });
  assert.deepEqual(db.remote("2001:db8:1::7")?.vars, { NET: "doc" });
  assert.equal(db.remote("::ffff:8.8.8.8")?.key, "*");
  assert.equal(db.local("::ffff:10.0.0.1", 1143)?.key, "*.1143");
  assert.equal(db.local("::ffff:10.0.0.1", 143)?.key, "*");
  assert.deepEqual(db.local("::ffff:127.0.0.1", 1143)?.vars, { LOCAL: "yes" });
  assert.throws(() => parseSource("a\t1\na\t2\n", "f"), /f:2: duplicate key a/);
  assert.equal(parseSource("lonekey\n", "f").get("lonekey"), "1");
});

test("makedat -cidr expansion matches Net::CIDR's cidr2octets", () => {
  assert.deepEqual(expandNet("192.168.0.0/24"), ["192.168.0"]);
  assert.deepEqual(expandNet("10.0.0.0/15"), ["10.0", "10.1"]);
  assert.deepEqual(expandNet("10.1.0.0/22"), ["10.1.0", "10.1.1", "10.1.2", "10.1.3"]);
  assert.equal(expandNet("10.0.0.128/25")?.length, 128);
  assert.deepEqual(expandNet("10.0.0.1-10.0.0.3"), ["10.0.0.1", "10.0.0.2", "10.0.0.3"]);
  assert.deepEqual(expandNet("2001:db8::/32"), [":2001:0db8"]);
  assert.equal(expandNet("192.168.0.1"), undefined);
});

test("PROXY v1 lines", () => {
  assert.deepEqual(parseProxyLine("PROXY TCP4 192.0.2.7 198.51.100.1 40000 143"), {
    remoteIp: "192.0.2.7",
    remotePort: 40000,
    localIp: "198.51.100.1",
    localPort: 143,
  });
  assert.throws(() => parseProxyLine("PROXY UNKNOWN"), /unknown protocol/);
  assert.throws(() => parseProxyLine("PROXY TCP4 1.2.3.4 ::1 1 2"), /malformed/);
  assert.throws(() => parseProxyLine("GET / HTTP/1.0"), /malformed/);
});
