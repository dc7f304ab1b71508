// Bounded-time property test of the command reader and tokenizer: random and mutated
// command streams (lines, quoted strings, literals, lists, streamed APPEND literals) must
// never crash, hang or grow memory; every command ends as a command, an error or EOF.

import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { test } from "node:test";
import { parseFetchItems } from "../src/fetch/items.js";
import { Input } from "../src/io/input.js";
import { matchPattern } from "../src/mailbox/pattern.js";
import { CommandReader } from "../src/parser/reader.js";
import { ImapSyntaxError, parseCommand } from "../src/parser/tokens.js";
import { KeyParser } from "../src/search/keys.js";
import { CommandFailure } from "../src/session/errors.js";

const SEEDS = [
  "a1 LOGIN joe secret\r\n",
  'a2 FETCH 1:*,3 (FLAGS BODY.PEEK[HEADER.FIELDS (From "To")]<0.10> ENVELOPE)\r\n',
  "a3 APPEND INBOX (\\Seen) {5}\r\nhello\r\n",
  "a4 APPEND INBOX {9000+}\r\n" + "y".repeat(9000) + "\r\n",
  'a5 SEARCH CHARSET UTF-8 OR (FROM "x" NOT SEEN) UID 1:* TEXT {3+}\r\nabc\r\n',
  'a6 LIST "" "INBOX.%*"\r\n',
  "a7 STORE 1 +FLAGS.SILENT (\\Deleted $kw)\r\n",
  "a8 UID COPY 4:2 INBOX.X\r\n",
];
const ALPHABET = ' ()[]{}<>"\\*%+:.,0123456789abcXYZ\r\n\x00\xff';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function mutate(r: () => number, text: string): string {
  let out = text;
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (out.length + 1));
    const ch = ALPHABET[Math.floor(r() * ALPHABET.length)];
    const op = r();
    if (op < 0.4) out = out.slice(0, at) + ch + out.slice(at);
    else if (op < 0.7) out = out.slice(0, at) + out.slice(at + 1);
    else if (op < 0.85)
      out = out.slice(0, at) + `{${Math.floor(r() * 20000)}${r() < 0.5 ? "+" : ""}}\r\n` + out.slice(at);
    else out = out.slice(0, at) + ch.repeat(Math.floor(r() * 300)) + out.slice(at);
  }
  return out;
}

async function drain(data: Buffer): Promise<number> {
  const stream = new PassThrough();
  const input = new Input(stream);
  const reader = new CommandReader(input, async () => {}, {
    maxLine: 2048,
    maxLiteral: 8192,
    maxCommand: 65536,
  });
  stream.end(data);
  let commands = 0;
  for (let guard = 0; guard < 10_000; guard++) {
    const r = await reader.next();
    if (r.kind === "eof") return commands;
    if (r.kind === "command") {
      commands++;
      try {
        const cmd = parseCommand(r.raw);
        if (r.raw.streamed) {
          const src = await reader.openStreamedLiteral();
          for await (const chunk of src) assert.ok(chunk.length <= 65536);
        }
        try {
          if (cmd.name.endsWith("FETCH") && cmd.args[1]) parseFetchItems(cmd.args[1]);
          if (cmd.name.endsWith("SEARCH")) new KeyParser(cmd.args, (b) => b.toString("utf8")).parseAll();
          if (cmd.name === "LIST" && cmd.args[1]?.t === "atom") matchPattern(cmd.args[1].v, "INBOX.a.b.c.d");
        } catch (e) {
          if (!(e instanceof CommandFailure)) throw e;
        }
      } catch (e) {
        if (!(e instanceof ImapSyntaxError) && !/connection closed inside a literal/.test(String(e))) throw e;
      }
      if (r.raw.streamed && (await reader.finishStreamed()) === undefined) return commands;
    }
  }
  assert.fail("reader did not reach EOF");
}

test("parser fuzz: mutated and random command streams never crash, hang or balloon", async () => {
  const deadline = Date.now() + Number(process.env.FUZZ_MS ?? 3000);
  const r = rng(Number(process.env.FUZZ_SEED ?? 12345));
  const heapStart = process.memoryUsage().heapUsed;
  let cases = 0;
  while (Date.now() < deadline) {
    let text = "";
    const n = 1 + Math.floor(r() * 4);
    for (let i = 0; i < n; i++) {
      text += r() < 0.85 ? mutate(r, SEEDS[Math.floor(r() * SEEDS.length)]) : "";
      if (r() < 0.15)
        for (let j = Math.floor(r() * 200); j > 0; j--) text += ALPHABET[Math.floor(r() * ALPHABET.length)];
    }
    await drain(Buffer.from(text, "latin1"));
    cases++;
  }
  assert.ok(cases > 50, `only ${cases} cases ran`);
  assert.ok(process.memoryUsage().heapUsed - heapStart < 200 * 1024 * 1024, "heap grew by more than 200 MB");
});

test("pattern matching stays linear on hostile patterns", () => {
  const t0 = Date.now();
  assert.equal(matchPattern(`${"*a".repeat(50)}b`, `INBOX.${"a".repeat(200)}`), false);
  assert.equal(matchPattern("INBOX.%.c", "INBOX.b.c"), true);
  assert.equal(matchPattern("INBOX.%", "INBOX.b.c"), false);
  assert.ok(Date.now() - t0 < 1000);
});
