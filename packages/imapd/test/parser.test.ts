import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { Input } from "../src/io/input.js";
import { CommandReader } from "../src/parser/reader.js";
import { parseSequenceSet, resolveSequenceNumbers, resolveUids } from "../src/parser/sequence-set.js";
import { ImapSyntaxError, parseCommand } from "../src/parser/tokens.js";
import { capabilityString } from "../src/session/capability.js";
import { sanitize } from "../src/session/log.js";

const raw = (...parts: string[]) => ({ parts: parts.map((p) => Buffer.from(p)) });

test("tokenizer: atoms, quoted strings, literals, lists, bracketed atoms, UID commands", () => {
  const c = parseCommand(
    raw('a1 uid fetch 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.100> "q\\"s") {3}', "x y", ""),
  );
  assert.equal(c.tag, "a1");
  assert.equal(c.name, "UID FETCH");
  assert.deepEqual(c.args, [
    { t: "atom", v: "1:*" },
    {
      t: "list",
      v: [
        { t: "atom", v: "FLAGS" },
        { t: "atom", v: "BODY.PEEK[HEADER.FIELDS (FROM TO)]<0.100>" },
        { t: "string", v: Buffer.from('q"s'), literal: false },
      ],
    },
    { t: "string", v: Buffer.from("x y"), literal: true },
  ]);
  assert.deepEqual(parseCommand(raw("t NOOP")).args, []);
  assert.deepEqual(parseCommand(raw("t X ()")).args, [{ t: "list", v: [] }]);
  for (const bad of ["t X (a", "t X a)", "t X  a", "t X a ", '"t" X', 't X "\\a"']) {
    assert.throws(() => parseCommand(raw(bad)), ImapSyntaxError, bad);
  }
  assert.throws(() => parseCommand({ parts: [Buffer.from('t X "\xff"', "latin1")] }), /not valid UTF-8/);
});

test("tokenizer: literal8 ~{n} is its own token; a streamed one may sit inside lists", () => {
  const c = parseCommand(raw("a APPEND INBOX UTF8 (~{3}", "\u00e9\u0000", ")"));
  assert.deepEqual(c.args, [
    { t: "atom", v: "INBOX" },
    { t: "atom", v: "UTF8" },
    { t: "list", v: [{ t: "literal8", v: Buffer.from("\u00e9\u0000") }] },
  ]);
  assert.equal(c.openAtStream, undefined);
  const streamed = parseCommand({
    ...raw("a APPEND INBOX UTF8 (~{9000+}"),
    streamed: { size: 9000, nonSync: true },
  });
  assert.deepEqual(streamed.args.at(-1), { t: "list", v: [{ t: "stream", size: 9000, literal8: true }] });
  assert.equal(streamed.openAtStream, 1);
  const plain = parseCommand({ ...raw("a APPEND INBOX {9000}"), streamed: { size: 9000, nonSync: false } });
  assert.deepEqual(plain.args.at(-1), { t: "stream", size: 9000, literal8: false });
  assert.equal(plain.openAtStream, 0);
  // `~` alone stays an atom character; `~{` not at a line end is a misplaced literal
  assert.deepEqual(parseCommand(raw("a X ~a ~")).args, [
    { t: "atom", v: "~a" },
    { t: "atom", v: "~" },
  ]);
  assert.throws(() => parseCommand(raw("a X ~{3} b")), /misplaced literal/);
  assert.throws(() => parseCommand(raw("a X (~{3}", "abc", "")), /unbalanced parenthesis/);
});

test("reader: continuation for {n}, none for {n+}, limits, EOF", async () => {
  const stream = new PassThrough();
  const input = new Input(stream);
  let continuations = 0;
  const reader = new CommandReader(
    input,
    async () => {
      continuations++;
    },
    { maxLine: 40, maxLiteral: 10, maxCommand: 100 },
  );
  stream.write("a LOGIN {3}\r\nabc {2+}\r\nxy\r\nb NOOP\n");
  stream.write(`c ${"x".repeat(50)}\r\nd X {11}\r\ne X {11+}\r\n${"z".repeat(11)}\r\nf NOOP\r\n`);
  stream.end();
  const a = await reader.next();
  assert.equal(a.kind, "command");
  assert.deepEqual(a.kind === "command" && a.raw.parts.map(String), [
    "a LOGIN {3}",
    "abc",
    " {2+}",
    "xy",
    "",
  ]);
  assert.equal(continuations, 1);
  assert.deepEqual(await reader.next(), { kind: "command", raw: raw("b NOOP") });
  assert.deepEqual(await reader.next(), { kind: "error", tag: "c", text: "Command line too long." });
  assert.deepEqual(await reader.next(), { kind: "error", tag: "d", text: "Literal too large." });
  assert.deepEqual(await reader.next(), { kind: "error", tag: "e", text: "Literal too large." });
  assert.deepEqual(await reader.next(), { kind: "command", raw: raw("f NOOP") });
  assert.deepEqual(await reader.next(), { kind: "eof" });
});

test("sequence sets: ranges, reversed ranges, *, UIDs", () => {
  const set = parseSequenceSet("4:2,*,1")!;
  assert.deepEqual(resolveSequenceNumbers(set, 5), [1, 2, 3, 4, 5]);
  assert.equal(resolveSequenceNumbers(parseSequenceSet("6")!, 5), undefined);
  assert.equal(resolveSequenceNumbers(parseSequenceSet("*")!, 0), undefined);
  assert.equal(parseSequenceSet("1,,2"), undefined);
  assert.equal(parseSequenceSet("0"), undefined);
  assert.deepEqual(resolveUids(parseSequenceSet("10:*")!, [3, 7, 9]), [2]);
  assert.deepEqual(resolveUids(parseSequenceSet("4:8")!, [3, 7, 9]), [1]);
  assert.deepEqual(resolveUids(parseSequenceSet("*")!, []), []);
});

test("capability rules and log sanitising", () => {
  assert.equal(capabilityString({}), "IMAP4rev1 LITERAL+ SASL-IR AUTH=PLAIN ENABLE UTF8=ACCEPT");
  assert.equal(
    capabilityString({
      IMAP_TLS: "1",
      IMAP_CAPABILITY_TLS: "IMAP4rev1 AUTH=PLAIN",
      IMAP_CAPABILITY: "IMAP4rev1",
      SMAP_CAPABILITY: "SMAP1",
      IMAP_KEYWORDS: "1",
      IMAP_ACL: "0",
    }),
    "IMAP4rev1 AUTH=PLAIN SMAP1 KEYWORDS ENABLE UTF8=ACCEPT",
  );
  assert.equal(sanitize("a\r\nb\x00c\x7f"), "a..b.c.");
});
