import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { test } from "node:test";
import {
  filterHeaderFields,
  MessageParser,
  type MimePart,
  parseMessageBuffer,
  parseMessageStream,
  parseSection,
  partialRange,
  resolveSection,
} from "../src/index.js";
import { fixture, fixtureNames, toWire } from "./fixtures.js";

function feed(msg: Buffer, size: number) {
  const p = new MessageParser();
  for (let i = 0; i < msg.length; i += size) p.write(msg.subarray(i, i + size));
  return p.end();
}

test("chunking does not change the result (1..17 byte chunks and whole)", () => {
  for (const name of fixtureNames()) {
    const msg = fixture(name);
    const whole = JSON.stringify(parseMessageBuffer(msg));
    for (const size of [1, 2, 3, 5, 7, 11, 17])
      assert.equal(JSON.stringify(feed(msg, size)), whole, `${name}/${size}`);
  }
});

test("a Readable source gives the same structure; the result survives JSON", async () => {
  const msg = fixture("mixed-nested.eml");
  const s = await parseMessageStream(Readable.from([msg.subarray(0, 100), msg.subarray(100)]));
  assert.deepEqual(JSON.parse(JSON.stringify(s)), parseMessageBuffer(msg));
});

test("sizes, offsets and line counts are those of the CRLF form", () => {
  const msg = fixture("alternative.eml");
  const wire = toWire(msg);
  const s = parseMessageBuffer(msg);
  assert.equal(s.size, wire.length);
  const root = s.root;
  assert.equal(root.headerOffset, 0);
  assert.equal(wire.subarray(0, root.headerSize).toString().slice(-4), "\r\n\r\n");
  const [plain, html] = root.parts!;
  const body = (p: MimePart) =>
    wire.subarray(p.headerOffset + p.headerSize, p.headerOffset + p.headerSize + p.bodySize);
  assert.equal(body(plain).toString(), "Caf=C3=A9 numbers are up.\r\nSoft line=\r\n break here.\r\n");
  assert.equal(plain.bodyLines, 3);
  assert.equal(wire.subarray(html.headerOffset, html.headerOffset + 14).toString(), "Content-Type: ");
  assert.equal(root.bodySize, wire.length - root.headerSize);
});

test("an input already in CRLF form keeps its offsets", () => {
  const wire = toWire(fixture("rfc822-attached.eml"));
  const lf = parseMessageBuffer(fixture("rfc822-attached.eml"));
  const crlf = parseMessageBuffer(wire, { lineEndings: "crlf" });
  const strip = (s: unknown) => JSON.parse(JSON.stringify(s, (k, v) => (k === "header" ? undefined : v)));
  assert.deepEqual(strip(crlf), strip(lf));
});

test("MIME fields are parsed with their parameters", () => {
  const s = parseMessageBuffer(fixture("mixed-nested.eml"));
  const pdf = s.root.parts![1];
  assert.equal(pdf.type, "application");
  assert.equal(pdf.subtype, "pdf");
  assert.deepEqual(pdf.params, ["name", "report.pdf"]);
  assert.equal(pdf.encoding, "base64");
  assert.equal(pdf.id, "<part2@example.com>");
  assert.equal(pdf.description, "The quarterly report");
  assert.equal(pdf.disposition, "attachment");
  assert.deepEqual(pdf.dispositionParams, ["filename", "report.pdf", "size", "42"]);
  assert.deepEqual(pdf.language, ["en", "de"]);
  assert.equal(pdf.location, "http://example.com/report.pdf");
  assert.equal(pdf.md5, "Q2hlY2sgSW50ZWdyaXR5IQ==");
});

test("message/global is parsed as a message (for sections) but shown as a basic part", () => {
  const s = parseMessageBuffer(fixture("message-global.eml"));
  const g = s.root.parts![0];
  assert.equal(g.message?.envelope?.subject, "inner global");
  const d = resolveSection(s, parseSection("1.HEADER")!);
  assert.equal(d.kind, "range");
  if (d.kind !== "range") return;
  const wire = toWire(fixture("message-global.eml"));
  assert.equal(
    wire.subarray(d.start, d.end).toString(),
    "Subject: inner global\r\nFrom: x@example.com\r\n\r\n",
  );
});

test("nesting deeper than maxDepth stops being parsed but keeps sizes right", () => {
  let msg = "Subject: deep\n";
  const depth = 300;
  for (let i = 0; i < depth; i++) msg += `Content-Type: multipart/mixed; boundary=b${i}\n\n--b${i}\n`;
  msg += "Content-Type: text/plain\n\nleaf\n";
  const buf = Buffer.from(msg);
  const s = parseMessageBuffer(buf, { maxDepth: 100 });
  let d = 0;
  let p: MimePart | undefined = s.root;
  while (p?.parts?.length) {
    p = p.parts[0];
    d++;
  }
  assert.equal(d, 100);
  assert.equal(s.size, toWire(buf).length);
});

test("the number of parts is capped", () => {
  const parts = Array.from({ length: 50 }, () => "--x\n\nhi\n").join("");
  const s = parseMessageBuffer(Buffer.from(`Content-Type: multipart/mixed; boundary=x\n\n${parts}--x--\n`), {
    maxParts: 10,
  });
  assert.equal(s.root.parts!.length, 9);
});

test("huge header lines and headers are not kept, and HEADER.FIELDS asks for a disk read", () => {
  const big = "x".repeat(200 * 1024);
  const msg = Buffer.from(`Subject: a\nX-Big: ${big}\nFrom: a@b\n\nbody\n`);
  const s = parseMessageBuffer(msg);
  assert.equal(s.root.header, undefined);
  assert.equal(s.root.envelope?.from, "a@b");
  const d = resolveSection(s, parseSection("HEADER.FIELDS (FROM)")!);
  assert.equal(d.kind, "filter");
  if (d.kind !== "filter") return;
  const wire = toWire(msg);
  assert.equal(
    filterHeaderFields(wire.subarray(d.start, d.end), d.fields, d.not).toString(),
    "From: a@b\r\n\r\n",
  );
});

test("section syntax", () => {
  assert.deepEqual(parseSection(""), { part: [], text: "" });
  assert.deepEqual(parseSection("1.2.3"), { part: [1, 2, 3], text: "" });
  assert.deepEqual(parseSection("4.2.mime"), { part: [4, 2], text: "MIME" });
  assert.deepEqual(parseSection('1.HEADER.FIELDS.NOT (From "To")'), {
    part: [1],
    text: "HEADER.FIELDS.NOT",
    fields: ["From", "To"],
  });
  for (const bad of ["MIME", "0", "1.", "1..2", "HEADER.FIELDS ()", "1TEXT", "BODY", "1.2.FOO"]) {
    assert.equal(parseSection(bad), null, bad);
  }
  assert.deepEqual(partialRange(100, 10, 20), { start: 10, end: 30 });
  assert.deepEqual(partialRange(100, 90, 20), { start: 90, end: 100 });
  assert.deepEqual(partialRange(100, 200), { start: 100, end: 100 });
});

test("HEADER.FIELDS matching is case-insensitive, keeps order and folding, ends with CRLF", () => {
  const h = Buffer.from("To: a\r\nSUBJECT: x\r\n y\r\nX-To: b\r\nto: c\r\n\r\n");
  assert.equal(
    filterHeaderFields(h, ["to", "Subject"], false).toString(),
    "To: a\r\nSUBJECT: x\r\n y\r\nto: c\r\n\r\n",
  );
  assert.equal(filterHeaderFields(h, ["TO"], true).toString(), "SUBJECT: x\r\n y\r\nX-To: b\r\n\r\n");
  assert.equal(filterHeaderFields(h, ["none"], false).toString(), "\r\n");
});
