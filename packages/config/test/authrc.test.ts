import assert from "node:assert/strict";
import { mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { AuthRcError, AuthRcFile, parseAuthRc } from "../src/index.js";

const MARKER = "##NAME: MARKER:0\n";

test("auth*rc: NAME value, comments, continuation, first occurrence wins", () => {
  const rc = parseAuthRc(
    "# comment\n  MYSQL_SERVER\t\tlocalhost  \nMYSQL_SERVER other\nCLAUSE SELECT a, \\\n   b \\\n# not a comment\nEMPTY\n" +
      MARKER,
    "f",
  );
  assert.equal(rc.get("MYSQL_SERVER"), "localhost");
  assert.equal(rc.get("CLAUSE"), "SELECT a,  b  # not a comment");
  assert.equal(rc.get("EMPTY"), "");
});

test("auth*rc: the MARKER line is required", () => {
  assert.throws(() => parseAuthRc("A b\n", "/etc/x"), /marker line not found in \/etc\/x/);
});

test("AuthRcFile reloads on mtime change and keeps the old version when the new one is broken", () => {
  const dir = mkdtempSync(join(tmpdir(), "authrc-"));
  const f = join(dir, "authmysqlrc");
  const errors: string[] = [];
  const rc = new AuthRcFile(
    f,
    (m) => m.get("A") ?? "",
    (e) => errors.push(e),
  );
  assert.throws(() => rc.current(), AuthRcError);
  writeFileSync(f, `A one\n${MARKER}`);
  utimesSync(f, 1000, 1000);
  assert.deepEqual(rc.current(), { settings: "one", reloaded: false });
  writeFileSync(f, `A two\n${MARKER}`);
  utimesSync(f, 2000, 2000);
  assert.deepEqual(rc.current(), { settings: "two", reloaded: true });
  writeFileSync(f, "A three\n");
  utimesSync(f, 3000, 3000);
  assert.deepEqual(rc.current(), { settings: "two", reloaded: false });
  assert.match(errors[0], /marker line not found.*keeping the previous settings/);
});
