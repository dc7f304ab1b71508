import assert from "node:assert/strict";
import { test } from "node:test";
import { expandClause, mysqlDialect, PGSQL_DIALECT, UnsafeSubstitutionError } from "../src/index.js";

const MY = mysqlDialect("STRICT_TRANS_TABLES");
const MY_NOBS = mysqlDialect("NO_BACKSLASH_ESCAPES,ANSI_QUOTES");
const PG = PGSQL_DIALECT;
const p = { local_part: "o'brien", domain: "ex\\ample.com", service: "imap" };

test("Courier's textual substitution rules: unknown names empty, lone $ kept, unterminated $( swallows", () => {
  assert.equal(expandClause("a $x $(nope) b", p, PG), "a $x '' b");
  assert.equal(expandClause("x='$(service)' $(local_part", p, PG), "x='imap' ''");
});

test("inside '…' literals the value is escaped for the session's rules", () => {
  assert.equal(expandClause("id='$(local_part)@$(domain)'", p, PG), "id='o''brien@ex\\ample.com'");
  assert.equal(expandClause("id='$(local_part)@$(domain)'", p, MY), "id='o\\'brien@ex\\\\ample.com'");
  assert.equal(expandClause("id='$(local_part)'", p, MY_NOBS), "id='o''brien'");
  assert.equal(expandClause("id=E'$(domain)$(local_part)'", p, PG), "id=E'ex\\\\ample.como''brien'");
});

test("outside quotes the value becomes a whole literal; in identifiers the delimiter is doubled", () => {
  assert.equal(expandClause("id=$(local_part)", p, PG), "id='o''brien'");
  assert.equal(expandClause("`$(local_part)`", { local_part: "a`b" }, MY), "`a``b`");
  assert.equal(expandClause('"$(local_part)"', { local_part: 'a"b' }, PG), '"a""b"');
  // MySQL without ANSI_QUOTES: "…" is a string.
  assert.equal(expandClause('id="$(local_part)"', { local_part: 'a"b' }, MY), 'id="a\\"b"');
});

test("comments swallow values; a value cannot close a comment or a dollar quote", () => {
  assert.equal(expandClause("x /* $(local_part) */ y", { local_part: "*/ DROP" }, PG), "x /*  */ y");
  assert.equal(
    expandClause("x -- $(local_part)\ny='$(local_part)'", { local_part: "a" }, PG),
    "x -- \ny='a'",
  );
  assert.equal(expandClause("x # $(local_part)\n", { local_part: "a" }, MY), "x # \n");
  assert.equal(expandClause("$$ $(local_part) $$", { local_part: "ok" }, PG), "$$ ok $$");
  assert.throws(
    () => expandClause("$q$ $(local_part) $q$", { local_part: "x$q$y" }, PG),
    UnsafeSubstitutionError,
  );
});

test("quotes and comment markers inside literals do not confuse the reader", () => {
  const t = "a='it''s -- not /* a comment' AND b='$(local_part)'";
  assert.equal(expandClause(t, { local_part: "'" }, PG), "a='it''s -- not /* a comment' AND b=''''");
  const m = "a='x\\' $(local_part)' AND b=$(domain)";
  assert.equal(expandClause(m, { local_part: "'", domain: "d" }, MY), "a='x\\' \\'' AND b='d'");
  // MySQL's "--" without a following space is not a comment.
  assert.equal(expandClause("1--$(local_part)", { local_part: "2" }, MY), "1--'2'");
  // MySQL executable comments are code.
  assert.equal(expandClause("/*! $(local_part) */", { local_part: "x" }, MY), "/*! 'x' */");
});

test("NUL bytes and a backslash right before $( are refused", () => {
  assert.throws(() => expandClause("'$(local_part)'", { local_part: "a\0b" }, PG), UnsafeSubstitutionError);
  assert.throws(() => expandClause("'\\$(local_part)'", { local_part: "a" }, MY), UnsafeSubstitutionError);
});
