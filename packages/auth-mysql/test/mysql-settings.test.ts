import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readFieldSettings } from "@courier-imap/auth-sql";
import { parseAuthRc } from "@courier-imap/config";
import { readMysqlConnection } from "../src/index.js";

const DIST = new URL("../../../../config/authmysqlrc.dist", import.meta.url);
const quiet = { info() {}, err() {}, debug() {} };

test("the shipped authmysqlrc.dist parses into usable settings", () => {
  const rc = parseAuthRc(readFileSync(DIST, "utf8"), "authmysqlrc.dist");
  const f = readFieldSettings(rc, "MYSQL", "authmysqlrc.dist");
  assert.equal(f.table, "passwd");
  assert.equal(f.cryptField, "crypt");
  assert.equal(f.clearField, "''");
  assert.equal(f.whereClause, "1=1");
  const c = readMysqlConnection(rc, "authmysqlrc.dist", quiet);
  assert.deepEqual(
    [c.host, c.port, c.user, c.database, c.ssl],
    ["localhost", 3306, "admin", "mysql", undefined],
  );
});

test("MYSQL_PORT and MYSQL_OPT must be present and numeric; unsafe charsets refused", () => {
  const base = {
    MYSQL_SERVER: "h",
    MYSQL_USERNAME: "u",
    MYSQL_DATABASE: "d",
    MYSQL_OPT: "0",
    MYSQL_PORT: "0",
  };
  const rc = (o: Record<string, string>) => new Map(Object.entries({ ...base, ...o }));
  assert.throws(() => readMysqlConnection(rc({ MYSQL_PORT: "" }), "f", quiet), /cannot parse the MYSQL_PORT/);
  assert.throws(() => readMysqlConnection(rc({ MYSQL_OPT: "x" }), "f", quiet), /cannot parse the MYSQL_OPT/);
  const errs: string[] = [];
  const log = { ...quiet, err: (m: string) => errs.push(m) };
  assert.equal(readMysqlConnection(rc({ MYSQL_CHARACTER_SET: "gbk" }), "f", log).charset, undefined);
  assert.match(errs[0], /gbk cannot be used/);
  assert.equal(readMysqlConnection(rc({ MYSQL_CHARACTER_SET: "latin1" }), "f", quiet).charset, "latin1");
  const s = readMysqlConnection(
    rc({ MYSQL_SOCKET: "/run/mysqld/mysqld.sock", MYSQL_OPT: "65538" }),
    "f",
    quiet,
  );
  assert.deepEqual(
    [s.host, s.socketPath, s.flags, s.multipleStatements],
    [undefined, "/run/mysqld/mysqld.sock", ["FOUND_ROWS"], false],
  );
});
