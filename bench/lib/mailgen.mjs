// A deterministic, seeded generator of realistic messages for the benchmarks: plain text,
// multipart/alternative (text + HTML), messages with a base64 attachment, RFC 2047
// encoded non-ASCII headers, and threads (Re: subjects, In-Reply-To, References).
// The same seed always gives the same bytes, so every server gets identical mail.

import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1). */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "the of and to in is that for it as with was on be by this are from at or an have not " +
  "meeting budget report project schedule review release server mailbox folder quota " +
  "invoice customer delivery agenda quarterly update notes draft proposal contract team " +
  "deadline network backup storage cluster latency design document question answer " +
  "please thanks regards tomorrow friday monday morning afternoon office travel plan"
).split(" ");
const PEOPLE = [
  ["Alice Martin", "alice@example.com"],
  ["Bob Chen", "bob@example.org"],
  ["Carol Davies", "carol@example.net"],
  ["Dan O'Neil", "dan@example.com"],
  ["Eve Kowalski", "eve@example.org"],
  ["Frank Müller", "frank@example.de"],
  ["Zoë Ångström", "zoe@example.se"],
  ["José Peña", "jose@example.es"],
  ["Łukasz Żółć", "lukasz@example.pl"],
  ["田中 太郎", "tanaka@example.jp"],
];
const UNICODE_SUBJECTS = [
  "Grüße aus München",
  "Réunion de l'équipe — ordre du jour",
  "Поставка оборудования",
  "会議の議事録",
  "Çalışma planı ve bütçe",
];

const b64word = (s) => `=?UTF-8?B?${Buffer.from(s).toString("base64")}?=`;
const qword = (s) =>
  `=?ISO-8859-1?Q?${[...Buffer.from(s, "latin1")]
    .map((c) =>
      c === 32
        ? "_"
        : c < 128 && /[A-Za-z0-9]/.test(String.fromCharCode(c))
          ? String.fromCharCode(c)
          : `=${c.toString(16).toUpperCase().padStart(2, "0")}`,
    )
    .join("")}?=`;
const isLatin1 = (s) => [...s].every((c) => c.charCodeAt(0) < 256);
const ascii = (s) => /^[\x20-\x7e]*$/.test(s);
const encodeName = (s) => (ascii(s) ? `"${s}"` : isLatin1(s) ? qword(s) : b64word(s));
const rfcDate = (d) => d.toUTCString().replace("GMT", "+0000");

/**
 * Returns a generator of messages: gen(i) → { text: Buffer, date: Date, seen: boolean }.
 * Message i depends only on the seed and i's predecessors in the same generator, so
 * call it in order 0, 1, 2, …
 */
export function messageGenerator(seed = 1, { maxAttachment = 48 * 1024 } = {}) {
  const r = rng(seed);
  const pick = (a) => a[Math.floor(r() * a.length)];
  const words = (n) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  const para = () => {
    const lines = [];
    const n = 2 + Math.floor(r() * 6);
    for (let i = 0; i < n; i++) lines.push(words(8 + Math.floor(r() * 6)));
    return lines.join("\n");
  };
  const threads = []; // { subject, ids: [message-id…] }
  const start = Date.UTC(2023, 0, 1);
  return (i) => {
    const date = new Date(start + i * 600_000 + Math.floor(r() * 300_000));
    const from = pick(PEOPLE);
    let to = pick(PEOPLE);
    if (to === from) to = PEOPLE[(PEOPLE.indexOf(from) + 1) % PEOPLE.length];
    const id = `<${i}.${Math.floor(r() * 1e9).toString(36)}@bench.example>`;
    let subject;
    let refs = [];
    if (threads.length && r() < 0.35) {
      const t = threads[Math.floor(r() * Math.min(threads.length, 50)) + Math.max(0, threads.length - 50)];
      subject = `Re: ${t.subject}`;
      refs = t.ids.slice(-10);
      t.ids.push(id);
    } else {
      subject = r() < 0.2 ? pick(UNICODE_SUBJECTS) : `${words(3 + Math.floor(r() * 4))}`;
      threads.push({ subject, ids: [id] });
    }
    const h = [
      `Return-Path: <${from[1]}>`,
      `Received: from mx${Math.floor(r() * 9)}.example.net (mx.example.net [192.0.2.${Math.floor(r() * 250)}])\n\tby mail.example.com with ESMTPS id ${id.slice(1, 12)}\n\tfor <${to[1]}>; ${rfcDate(date)}`,
      `Date: ${rfcDate(date)}`,
      `From: ${encodeName(from[0])} <${from[1]}>`,
      `To: ${encodeName(to[0])} <${to[1]}>`,
      ...(r() < 0.3 ? [`Cc: ${encodeName(pick(PEOPLE)[0])} <${pick(PEOPLE)[1]}>`] : []),
      `Subject: ${ascii(subject) ? subject : b64word(subject)}`,
      `Message-ID: ${id}`,
      ...(refs.length ? [`In-Reply-To: ${refs[refs.length - 1]}`, `References: ${refs.join("\n ")}`] : []),
      "MIME-Version: 1.0",
    ];
    // A rare body word, for SEARCH BODY: about 1 message in 100.
    const body = para() + (r() < 0.01 ? "\nthe zebrafish results are attached" : "") + "\n\n" + para();
    const kind = r();
    let text;
    if (kind < 0.55) {
      text = `${h.join("\n")}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${body}\n`;
    } else if (kind < 0.85) {
      const b = `=_alt_${i}`;
      const html = `<html><body>${body
        .split("\n\n")
        .map((p) => `<p>${p}</p>`)
        .join("\n")}</body></html>`;
      text =
        `${h.join("\n")}\nContent-Type: multipart/alternative; boundary="${b}"\n\n` +
        `This is a multi-part message in MIME format.\n\n--${b}\nContent-Type: text/plain; charset=utf-8\n\n${body}\n` +
        `--${b}\nContent-Type: text/html; charset=utf-8\n\n${html}\n--${b}--\n`;
    } else {
      const b = `=_mixed_${i}`;
      const size = 1024 + Math.floor(r() * r() * maxAttachment);
      const bytes = Buffer.alloc(size);
      for (let k = 0; k < size; k += 4)
        bytes.writeUInt32LE(Math.floor(r() * 4294967296), Math.min(k, size - 4));
      const b64 = bytes.toString("base64").replace(/.{76}/g, "$&\n");
      const name = pick(["report.pdf", "photo.jpg", "data.xlsx", "Übersicht.pdf"]);
      const fname = ascii(name) ? `"${name}"` : `"${b64word(name)}"`;
      const type = name.endsWith(".jpg") ? "image/jpeg" : "application/octet-stream";
      text =
        `${h.join("\n")}\nContent-Type: multipart/mixed; boundary="${b}"\n\n--${b}\n` +
        `Content-Type: text/plain; charset=utf-8\n\n${body}\n--${b}\n` +
        `Content-Type: ${type}; name=${fname}\nContent-Disposition: attachment; filename=${fname}\n` +
        `Content-Transfer-Encoding: base64\n\n${b64}\n--${b}--\n`;
    }
    return { text: Buffer.from(text), date, seen: r() < 0.7 };
  };
}

/** Creates a maildir (cur, new, tmp) and, for a folder, its maildirfolder marker. */
export function makeMaildir(dir, folder = false) {
  for (const d of ["cur", "new", "tmp"]) mkdirSync(join(dir, d), { recursive: true });
  if (folder) writeFileSync(join(dir, "maildirfolder"), "");
}

/** Writes `count` messages of generator `gen` into maildir `dir`'s cur/, mtime = Date. */
export function fillMaildir(dir, gen, count, folder = false) {
  makeMaildir(dir, folder);
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const m = gen(i);
    const t = Math.floor(m.date.getTime() / 1000);
    const name = `${t}.M${i}P1.bench.example,S=${m.text.length}:2,${m.seen ? "S" : ""}`;
    const path = join(dir, "cur", name);
    writeFileSync(path, m.text);
    utimesSync(path, m.date, m.date);
    bytes += m.text.length;
  }
  return bytes;
}
