import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { test } from "node:test";
import {
  containsFolded,
  decodeHeaderValue,
  decodeParams,
  headerContains,
  parseContentValue,
  parseDateHeader,
  searchMessageText,
  TextMatcher,
  transferDecoder,
} from "../src/index.js";
import { fixture } from "./fixtures.js";

test("RFC 2047 encoded-words: Q and B, charsets, adjacency, bad words left alone", () => {
  assert.equal(decodeHeaderValue("=?ISO-8859-1?Q?Andr=E9?= Pirard"), "André Pirard");
  assert.equal(decodeHeaderValue("=?UTF-8?B?0JjQstCw0L0=?="), "Иван");
  assert.equal(decodeHeaderValue("=?utf-8?q?a?= =?utf-8?q?b?=\n\t=?utf-8?q?_c?="), "ab c");
  assert.equal(decodeHeaderValue("(=?ISO-8859-1?Q?a?= b)"), "(a b)");
  // a UTF-8 character split over two words
  assert.equal(decodeHeaderValue("=?UTF-8?B?w6k=?==?UTF-8?Q?=C3?= =?UTF-8?Q?=A9?="), "éé");
  assert.equal(decodeHeaderValue("=?x-no-such?Q?abc?= x"), "=?x-no-such?Q?abc?= x");
  assert.equal(decodeHeaderValue("=?utf-8*en?Q?hi?="), "hi");
  assert.equal(decodeHeaderValue("=?koi8-r?B?8NLJ18XU?="), "Привет");
  assert.equal(decodeHeaderValue("raw J\xc3\xbcrgen"), "raw Jürgen");
  assert.equal(decodeHeaderValue("raw J\xfcrgen"), "raw Jürgen");
});

test("RFC 2231 parameters: continuations, charset and language", () => {
  const ct = parseContentValue(
    "application/x-stuff; title*0*=us-ascii'en'This%20is%20even%20more%20; title*1*=%2A%2A%2Afun%2A%2A%2A%20; title*2=\"isn't it!\"",
    true,
  )!;
  assert.equal(ct.value, "application/x-stuff");
  assert.equal(decodeParams(ct.params).get("title"), "This is even more ***fun*** isn't it!");
  const cd = parseContentValue("attachment; filename*=UTF-8''na%C3%AFve%20file.txt", false)!;
  assert.equal(decodeParams(cd.params).get("filename"), "naïve file.txt");
  const iso = parseContentValue("attachment; FILENAME*=iso-8859-1'de'%FCber.txt; name=plain", false)!;
  const d = decodeParams(iso.params);
  assert.equal(d.get("filename"), "über.txt");
  assert.equal(d.get("name"), "plain");
});

test("Date: RFC 5322 and obsolete forms", () => {
  assert.deepEqual(parseDateHeader("Mon, 7 Feb 1994 21:52:25 -0800 (PST)"), {
    year: 1994,
    month: 2,
    day: 7,
    time: Date.UTC(1994, 1, 8, 5, 52, 25),
    zone: -480,
  });
  assert.equal(parseDateHeader("7 Feb 94 21:52 PST")?.time, Date.UTC(1994, 1, 8, 5, 52));
  assert.equal(parseDateHeader("Sat, 1 Jan 05 00:00:00 GMT")?.year, 2005);
  assert.equal(parseDateHeader("1 Jan 105 00:00:00 +0000")?.year, 2005);
  assert.equal(parseDateHeader("Thu,\n 13\n Feb\n 1969\n 23:32\n -0330 (Newfoundland Time)")?.zone, -210);
  assert.equal(parseDateHeader("21 Nov 97 09:55:06 Z")?.day, 21);
  assert.equal(parseDateHeader("Fri Mar 15 2024 10:00:00 +0100")?.month, 3);
  assert.equal(parseDateHeader("garbage date"), null);
  assert.equal(parseDateHeader(""), null);
  assert.equal(parseDateHeader("32 Jan 2020"), null);
});

test("transfer decoders stream across arbitrary chunk boundaries", () => {
  const cases: [string, string, string][] = [
    ["base64", "SGVsbG8s\nIHdvcmxk\nIQ==\n", "Hello, world!"],
    ["quoted-printable", "a=3Db=\nc =\r\nd=C3=A9 = \ne=ZZ", "a=bc dé e=ZZ"],
    ["7bit", "plain", "plain"],
  ];
  for (const [enc, input, want] of cases) {
    const buf = Buffer.from(input);
    for (let size = 1; size <= buf.length; size++) {
      const d = transferDecoder(enc);
      const out: Buffer[] = [];
      for (let i = 0; i < buf.length; i += size) out.push(d.write(buf.subarray(i, i + size)));
      out.push(d.end());
      assert.equal(Buffer.concat(out).toString("utf8"), want, `${enc}/${size}`);
    }
  }
});

test("case-insensitive matching folds Unicode case", () => {
  assert.ok(containsFolded("Grüße aus KÖLN", "grüsse aus köln"));
  assert.ok(containsFolded("ΣΊΣΥΦΟΣ", "σίσυφοσ"));
  assert.ok(!containsFolded("abc", "abd"));
  const m = new TextMatcher(["needle in", "other", ""]);
  for (const piece of ["hay NEE", "DLE", "\n IN hay"]) m.write(piece);
  assert.deepEqual(m.results(), [true, false, true]);
});

test("SEARCH BODY / TEXT decode transfer encodings and charsets of text parts only", async () => {
  const search = (name: string, needles: string[], headers = false) =>
    searchMessageText(Readable.from([fixture(name)]), needles, { headers });
  assert.deepEqual(await search("alternative.eml", ["CAFÉ NUMBERS", "soft line break here", "b1_alt"]), [
    true,
    true,
    false,
  ]);
  assert.deepEqual(await search("mixed-nested.eml", ["html body", "JVBER", "report.pdf"]), [
    true,
    false,
    false,
  ]);
  assert.deepEqual(await search("encoded-words.eml", ["jürgen sagt grüße", "Иван"]), [true, false]);
  assert.deepEqual(await search("encoded-words.eml", ["jürgen sagt grüße", "Иван", "you understand"], true), [
    true,
    true,
    true,
  ]);
  assert.deepEqual(await search("rfc822-attached.eml", ["original text", "orig-1@example.org"], true), [
    true,
    true,
  ]);
  assert.deepEqual(await search("rfc822-attached.eml", ["orig-1@example.org"]), [false]);
});

test("SEARCH header keys decode encoded-words", () => {
  const h = fixture("encoded-words.eml").toString("latin1");
  assert.ok(headerContains(h, "subject", "GRÜSSE"));
  assert.ok(headerContains(h, "From", "andré"));
  assert.ok(headerContains(h, "cc", "jürgen"));
  assert.ok(headerContains(h, "to", ""));
  assert.ok(!headerContains(h, "bcc", ""));
});
