import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readFieldSettings } from "@courier-imap/auth-sql";
import { parseAuthRc } from "@courier-imap/config";
import { conninfoToConfig, PGSQL_BACKEND, parseConninfo } from "../src/index.js";

const DIST = new URL("../../../../config/authpgsqlrc.dist", import.meta.url);
const quiet = { info() {}, err() {}, debug() {} };

test("libpq conninfo: spaces around =, quoted values with \\' and \\\\", () => {
  const kv = parseConninfo("host = db1 port=5433 password='it\\'s a \\\\ secret'  dbname=mail");
  assert.deepEqual(Object.fromEntries(kv), {
    host: "db1",
    port: "5433",
    password: "it's a \\ secret",
    dbname: "mail",
  });
  assert.throws(() => parseConninfo("host=db1 garbage"), /cannot parse/);
  const c = conninfoToConfig(
    "hostaddr=10.0.0.1 host=db user=u dbname=d connect_timeout=3 sslmode=disable",
    quiet,
  );
  assert.deepEqual(
    [c.host, c.user, c.database, c.connectionTimeoutMillis, c.ssl],
    ["10.0.0.1", "u", "d", 3000, false],
  );
  assert.throws(() => conninfoToConfig("sslmode=bogus", quiet), /sslmode=bogus/);
});

test("the shipped authpgsqlrc.dist parses into usable settings", () => {
  const rc = parseAuthRc(readFileSync(DIST, "utf8"), "authpgsqlrc.dist");
  const f = readFieldSettings(rc, "PGSQL", "authpgsqlrc.dist");
  assert.deepEqual([f.table, f.cryptField, f.loginField], ["passwd", "crypt", "id"]);
  const c = PGSQL_BACKEND.readConnection(rc, "authpgsqlrc.dist", quiet);
  assert.deepEqual(
    [c.host, c.port, c.user, c.password, c.database],
    ["localhost", 5432, "admin", "admin", "template1"],
  );
});

test("PostgreSQL needs the table only when a custom clause is missing", () => {
  const clauses = { PGSQL_SELECT_CLAUSE: "s", PGSQL_ENUMERATE_CLAUSE: "e", PGSQL_CHPASS_CLAUSE: "c" };
  assert.doesNotThrow(() => readFieldSettings(new Map(Object.entries(clauses)), "PGSQL", "f"));
  assert.throws(
    () => readFieldSettings(new Map(Object.entries({ ...clauses, PGSQL_CHPASS_CLAUSE: "" })), "PGSQL", "f"),
    /PGSQL_USER_TABLE is not set/,
  );
  assert.throws(() => readFieldSettings(new Map([["MYSQL_USER_TABLE", "t"]]), "MYSQL", "f"), /CRYPT_PWFIELD/);
});
