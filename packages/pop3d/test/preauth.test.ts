// The worker before login, on pipes as inetd would run it: greeting, CAPA, LANG, UTF8,
// invalid commands, USER/PASS order, and the pre-login QUIT and its log line.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

const POP3D = join(import.meta.dirname, "..", "..", "..", "..", "bin", "pop3d");

function session(lines: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [POP3D], {
    input: lines.map((l) => `${l}\r\n`).join(""),
    env: { PATH: "/usr/bin:/bin", TCPREMOTEIP: "192.0.2.1", TCPREMOTEPORT: "4711", ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { out: r.stdout, log: r.stderr };
}

test("greeting, CAPA without SASL/STLS by default, LANG, UTF8, QUIT", () => {
  const { out, log } = session([
    "capa",
    "LANG",
    "LANG en",
    "LANG fr",
    "UTF8",
    "STAT",
    "AUTH",
    "STLS",
    "QUIT",
  ]);
  assert.equal(
    out,
    [
      "+OK Hello there.",
      "+OK Here's what I can do:",
      "TOP",
      "USER",
      "LOGIN-DELAY 10",
      "PIPELINING",
      "UIDL",
      "UTF8 USER",
      "LANG",
      "IMPLEMENTATION Courier Mail Server",
      ".",
      "+OK Language listing follows:",
      "en English",
      "i-default Default language",
      ".",
      "+OK en King's English",
      "-ERR Language not available.",
      "+OK UTF8 enabled",
      "-ERR Invalid command.",
      "-ERR Invalid command.",
      "-ERR TLS support not available.",
      "+OK Better luck next time.",
      "",
    ].join("\r\n"),
  );
  assert.equal(
    log,
    "DEBUG: Connection, ip=[192.0.2.1], port=[4711]\nINFO: LOGOUT, ip=[192.0.2.1], port=[4711]\n",
  );
});

test("CAPA lists POP3AUTH; PASS needs USER; TLS required refuses USER", () => {
  const a = session(["CAPA", "PASS x", "QUIT"], { POP3AUTH: "PLAIN LOGIN" });
  assert.match(a.out, /\r\nSASL PLAIN LOGIN\r\n/);
  assert.match(a.out, /-ERR USER\/PASS required\.\r\n/);
  const b = session(["USER joe", "QUIT"], { POP3_TLS_REQUIRED: "1" });
  assert.match(b.out, /-ERR TLS required to log in\.\r\n/);
});

test("--help", () => {
  const r = spawnSync(process.execPath, [POP3D, "--help"], { encoding: "utf8" });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^Usage: pop3d \[maildir\]/);
});
