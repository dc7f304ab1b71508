import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { test } from "node:test";
import { parseMessageBuffer, plainTextMayContain, plainTextParts, searchMessageText } from "../src/index.js";
import { fixture, fixtureNames } from "./fixtures.js";

const mixed = (part2: string) =>
  Buffer.from(
    'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nzebra\n--b\n' +
      `${part2}\n--b--\n`,
  );

function plain(raw: Buffer): boolean {
  return plainTextParts(parseMessageBuffer(raw, { lineEndings: "lf" }).root);
}

test("plainTextParts: only identity encodings and charsets that read ASCII as ASCII", () => {
  assert.equal(plain(mixed("Content-Type: text/plain; charset=iso-8859-2\n\nfish")), true);
  assert.equal(plain(mixed("Content-Type: image/png\nContent-Transfer-Encoding: base64\n\nAAAA")), true);
  assert.equal(
    plain(mixed("Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\nZmlzaA==")),
    false,
  );
  assert.equal(
    plain(mixed("Content-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n\nfi=\nsh")),
    false,
  );
  assert.equal(plain(mixed("Content-Type: text/plain; charset=utf-16le\n\nf\0i\0")), false);
  assert.equal(plain(mixed("Content-Type: text/plain; charset=utf-7\n\n+AGY-ish")), false);
  assert.equal(plain(Buffer.from("Subject: x\n\nbody\n")), true);
});

test("plainTextMayContain never says no where SEARCH BODY matches", async () => {
  const cases: [Buffer, string][] = [
    [mixed("Content-Type: text/plain\n\nfish"), "zebrafish"],
    [mixed("Content-Type: text/plain\n\nfish"), "ZEBRA"],
    [mixed("Content-Type: text/plain\n\nfish"), "FISH"],
    [Buffer.from("Subject: x\n\nA\u00e9 body\n", "latin1"), "body"],
    [Buffer.from("Subject: x\n\nthe \ufb01sh\n"), "fish"],
    [Buffer.from("Subject: needle\n\nnothing\n"), "needle"],
    [Buffer.from("Subject: x\n\nsplit  words\n"), "split words"],
  ];
  for (const name of fixtureNames())
    for (const n of ["the", "a", "Content", "zzzz"]) cases.push([fixture(name), n]);
  for (const [raw, needle] of cases) {
    const [hit] = await searchMessageText(Readable.from([raw]), [needle], { lineEndings: "lf" });
    if (plain(raw) && hit)
      assert.equal(plainTextMayContain(raw, needle), true, `${needle} in ${raw.toString()}`);
  }
  assert.equal(plainTextMayContain(Buffer.from("Subject: x\n\nabc\n"), "zebra"), false);
  assert.equal(
    plainTextMayContain(Buffer.from("Subject: x\n\nabc\n"), "ab c"),
    true,
    "white space: search properly",
  );
});
