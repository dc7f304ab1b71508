// Golden transcripts of SORT, THREAD (RFC 5256) and SORT=DISPLAY (RFC 5957), with the RFC
// examples re-created on a maildir: base-subject extraction, i;unicode-casemap, the
// REFERENCES algorithm's dummies, pruning and subject merging, IMAP_DISABLETHREADSORT.

import assert from "node:assert/strict";
import { test } from "node:test";
import { type Client, loggedIn, makeWorld, putMessage, type World } from "./harness.js";

const ENV = { IMAP_UIDV_DELAY_MS: "0" };
const T0 = 1700000000;

interface Msg {
  subject?: string;
  date?: string;
  from?: string;
  to?: string;
  cc?: string;
  id?: string;
  refs?: string;
  irt?: string;
  body?: string;
  /** INTERNALDATE (file mtime), seconds after T0. */
  arrival?: number;
}

function text(m: Msg): string {
  const h: string[] = [];
  if (m.from !== undefined) h.push(`From: ${m.from}`);
  if (m.to !== undefined) h.push(`To: ${m.to}`);
  if (m.cc !== undefined) h.push(`Cc: ${m.cc}`);
  if (m.subject !== undefined) h.push(`Subject: ${m.subject}`);
  if (m.date !== undefined) h.push(`Date: ${m.date}`);
  if (m.id !== undefined) h.push(`Message-ID: ${m.id}`);
  if (m.irt !== undefined) h.push(`In-Reply-To: ${m.irt}`);
  if (m.refs !== undefined) h.push(`References: ${m.refs}`);
  return `${h.join("\n")}\n\n${m.body ?? "text"}\n`;
}

/** A maildir holding `msgs` as messages 1..n (UIDs 1..n), selected by a logged-in client. */
async function withMessages(
  t: { after: (f: () => Promise<void>) => void },
  msgs: Msg[],
  env: Record<string, string> = {},
): Promise<{ w: World; c: Client }> {
  const w = await makeWorld();
  t.after(w.cleanup);
  msgs.forEach((m, i) => {
    const n = String(i + 1).padStart(4, "0");
    putMessage(w, "cur", `${T0 + i}.M${n}P1.host:2,S`, text(m), T0 + (m.arrival ?? i * 60));
  });
  const c = await loggedIn(w, { ...ENV, ...env });
  assert.match(await c.cmd("s", "SELECT INBOX"), new RegExp(`\\* ${msgs.length} EXISTS`));
  return { w, c };
}

const day = (d: number, hh = "10:00:00", zone = "+0000") =>
  `Mon, ${String(d).padStart(2, "0")} Jan 2024 ${hh} ${zone}`;

test("SORT: RFC 5256 examples (SUBJECT REVERSE DATE, no match) with base-subject extraction", async (t) => {
  const { c } = await withMessages(t, [
    { subject: "[list] Cherry (fwd)", date: day(5) },
    { subject: "Fwd: cherry", date: day(4) },
    { subject: "Re: [list] RE: Banana", date: day(3) },
    { subject: "banana", date: day(2) },
    { subject: "=?utf-8?q?Apple?=", date: day(1) },
  ]);
  assert.equal(
    await c.cmd("A283", "SORT (SUBJECT REVERSE DATE) UTF-8 ALL"),
    "* SORT 5 3 4 1 2\r\nA283 OK SORT done.\r\n",
  );
  assert.equal(
    await c.cmd("A284", 'SORT (SUBJECT) US-ASCII TEXT "not in mailbox"'),
    "* SORT\r\nA284 OK SORT done.\r\n",
  );
  assert.equal(
    await c.cmd("a", "SORT (SUBJECT) UTF-8 SENTSINCE 3-Jan-2024 2:4"),
    "* SORT 3 2\r\na OK SORT done.\r\n",
  );
  assert.equal(
    await c.cmd("b", "UID SORT (REVERSE SUBJECT) UTF-8 ALL"),
    "* SORT 1 2 3 4 5\r\nb OK SORT done.\r\n",
  );
});

test("SORT: base subject per RFC 5256 §2.1 (blobs, [fwd: …], trailers, folding)", async (t) => {
  const { c } = await withMessages(t, [
    { subject: "[fwd: Re: [x] zeta]" }, // → zeta
    { subject: "[PATCH] alpha" }, // → alpha (lone blob dropped)
    { subject: "[only-a-blob]" }, // kept whole (nothing would be left); "[" sorts after "Z"
    { subject: "RE:   re :beta\t(fwd) (FWD)" }, // *WSP before ":" is allowed → beta
    { subject: "Fw[tag]: gamma" }, // → gamma
    { subject: "" }, // → "" first
    { subject: "=?ISO-8859-1?Q?=E9t=E9?=" }, // été: titlecase + NFKD gives E\u0301TE\u0301
    { subject: "ÉTÉ" }, // same base as été under i;unicode-casemap
  ]);
  assert.equal(await c.cmd("a", "SORT (SUBJECT) UTF-8 ALL"), "* SORT 6 2 4 7 8 5 1 3\r\na OK SORT done.\r\n");
});

test("SORT: ARRIVAL DATE SIZE FROM TO CC, REVERSE per key, sequence order on ties", async (t) => {
  const { c } = await withMessages(t, [
    {
      from: "Zed <zed@a.example>",
      to: "bob@x",
      cc: "b@x",
      date: day(3, "10:00:00", "+0200"),
      arrival: 300,
      body: "x".repeat(2000),
    },
    {
      from: "amy@b.example",
      to: "Carl <carl@x>",
      date: day(3, "09:30:00"),
      arrival: 100,
      body: "x".repeat(1000),
    },
    {
      from: '"Ann" <BETH@c.example>',
      to: "al@x",
      cc: "a@x",
      date: "garbage",
      arrival: 200,
      body: "x".repeat(4000),
    },
    { from: "(no address)", subject: "s", arrival: 50, body: "x".repeat(3000) },
  ]);
  assert.equal(await c.cmd("a", "SORT (ARRIVAL) UTF-8 ALL"), "* SORT 4 2 3 1\r\na OK SORT done.\r\n");
  // message 1 is 08:00 UTC; 3 and 4 have no usable Date: so their INTERNALDATE counts
  assert.equal(await c.cmd("b", "SORT (DATE) UTF-8 ALL"), "* SORT 4 3 1 2\r\nb OK SORT done.\r\n");
  assert.equal(await c.cmd("c", "SORT (REVERSE SIZE) UTF-8 ALL"), "* SORT 3 4 1 2\r\nc OK SORT done.\r\n");
  // addr-mailbox only: "" < amy < BETH < zed
  assert.equal(await c.cmd("d", "SORT (FROM) UTF-8 ALL"), "* SORT 4 2 3 1\r\nd OK SORT done.\r\n");
  assert.equal(await c.cmd("e", "SORT (TO) UTF-8 ALL"), "* SORT 4 3 1 2\r\ne OK SORT done.\r\n");
  assert.equal(
    await c.cmd("f", "SORT (CC REVERSE ARRIVAL) UTF-8 ALL"),
    "* SORT 2 4 3 1\r\nf OK SORT done.\r\n",
  );
  assert.equal(await c.cmd("g", "SORT (SUBJECT) UTF-8 ALL"), "* SORT 1 2 3 4\r\ng OK SORT done.\r\n");
  assert.equal(
    await c.cmd("h", "UID SORT (REVERSE ARRIVAL) UTF-8 UID 1:3"),
    "* SORT 1 3 2\r\nh OK SORT done.\r\n",
  );
});

test("SORT=DISPLAY (RFC 5957): display-name, else addr-spec", async (t) => {
  const { c } = await withMessages(t, [
    { from: "Zed <aaa@a.example>", to: "=?utf-8?q?=C3=89mile?= <x@y>" },
    { from: "bob@b.example", to: '"Zoe" <a@y>' },
    { from: '"" <carl@c.example>', to: "Adam <z@y>" },
    { from: "=?utf-8?b?w4FsYQ==?= <zz@c.example>" },
  ]);
  // Ála (A\u0301LA), bob@b.example, carl@c.example, Zed
  assert.equal(await c.cmd("a", "SORT (DISPLAYFROM) UTF-8 ALL"), "* SORT 4 2 3 1\r\na OK SORT done.\r\n");
  // "", Adam, Émile (E\u0301MILE), Zoe
  assert.equal(await c.cmd("b", "SORT (DISPLAYTO) UTF-8 ALL"), "* SORT 4 3 1 2\r\nb OK SORT done.\r\n");
  assert.equal(await c.cmd("c", "SORT (FROM) UTF-8 ALL"), "* SORT 1 2 3 4\r\nc OK SORT done.\r\n");
});

test("SORT and THREAD: errors; IMAP_DISABLETHREADSORT refuses them", async (t) => {
  const { w, c } = await withMessages(t, [{ subject: "x" }]);
  assert.match(await c.cmd("a", "SORT SUBJECT UTF-8 ALL"), /^a BAD /);
  assert.match(await c.cmd("b", "SORT (SUBJECT FOO) UTF-8 ALL"), /^b BAD /);
  assert.match(await c.cmd("c", "SORT (REVERSE) UTF-8 ALL"), /^c BAD /);
  assert.match(await c.cmd("d", "SORT (SUBJECT) UTF-8"), /^d BAD /);
  assert.match(await c.cmd("e", "SORT (SUBJECT) ALL"), /^e (BAD|NO) /);
  assert.match(await c.cmd("f", "SORT (SUBJECT) X-NOPE ALL"), /^f NO \[BADCHARSET/);
  assert.match(await c.cmd("g", "THREAD FOO UTF-8 ALL"), /^g BAD /);
  assert.match(await c.cmd("h", "THREAD REFERENCES UTF-8 FOO"), /^h BAD /);
  const d = await loggedIn(w, { ...ENV, IMAP_DISABLETHREADSORT: "1" });
  await d.cmd("s", "SELECT INBOX");
  const refused = "NO This command is disabled by the system administrator.\r\n";
  assert.equal(await d.cmd("a", "SORT (SUBJECT) UTF-8 ALL"), `a ${refused}`);
  assert.equal(await d.cmd("b", "UID THREAD REFERENCES UTF-8 ALL"), `b ${refused}`);
  const e = await loggedIn(w, { ...ENV, IMAP_DISABLETHREADSORT: "0" });
  await e.cmd("s", "SELECT INBOX");
  assert.equal(await e.cmd("a", "THREAD ORDEREDSUBJECT UTF-8 ALL"), "* THREAD (1)\r\na OK THREAD done.\r\n");
});

test("THREAD=ORDEREDSUBJECT: RFC 5256 shapes (a), (a b), (a (b)(c)); threads by first date", async (t) => {
  const { c } = await withMessages(t, [
    { subject: "cherry", date: day(9) },
    { subject: "apple", date: day(2) },
    { subject: "Re: apple", date: day(3) },
    { subject: "banana", date: day(4) },
    { subject: "re: banana", date: day(6) },
    { subject: "Fwd: Banana", date: day(5) },
    { subject: "lone", date: day(1) },
  ]);
  assert.equal(
    await c.cmd("A283", "THREAD ORDEREDSUBJECT UTF-8 ALL"),
    "* THREAD (7)(2 3)(4 (6)(5))(1)\r\nA283 OK THREAD done.\r\n",
  );
  assert.equal(
    await c.cmd("A284", 'THREAD ORDEREDSUBJECT US-ASCII TEXT "gewp"'),
    "* THREAD\r\nA284 OK THREAD done.\r\n",
  );
  assert.equal(
    await c.cmd("b", "UID THREAD ORDEREDSUBJECT UTF-8 NOT SUBJECT lone"),
    "* THREAD (2 3)(4 (6)(5))(1)\r\nb OK THREAD done.\r\n",
  );
});

test("THREAD=REFERENCES: RFC 5256 example (2)(3 6 (4 23)(44 7 96))", async (t) => {
  const msgs: Msg[] = [];
  for (let i = 1; i <= 96; i++)
    msgs.push({
      subject: `filler ${i}`,
      id: `<f${i}@x>`,
      date: day(1, `00:${String(i % 60).padStart(2, "0")}:00`),
    });
  const at = (n: number, m: Msg) => {
    msgs[n - 1] = { date: day(2, `10:${String(n % 60).padStart(2, "0")}:00`), id: `<m${n}@x>`, ...m };
  };
  at(2, { subject: "other" });
  at(3, { subject: "topic" });
  at(6, { subject: "Re: topic", refs: "<m3@x>" });
  at(4, { subject: "Re: topic", refs: "<m3@x> <m6@x>" });
  at(23, { subject: "Re: topic", refs: "<m3@x>\n <m6@x> <m4@x>" });
  at(44, { subject: "Re: topic", irt: "<m6@x>" });
  at(7, { subject: "Re: topic", refs: "<m6@x> <m44@x>" });
  at(96, { subject: "Re: topic", refs: "<m3@x> <m6@x> <m44@x> <m7@x>" });
  const { c } = await withMessages(t, msgs);
  assert.equal(
    await c.cmd("A285", "UID THREAD REFERENCES US-ASCII UID 3,4,6,7,23,44,96"),
    "* THREAD (3 6 (4 23)(44 7 96))\r\nA285 OK THREAD done.\r\n",
  );
  assert.equal(
    await c.cmd("a", "UID THREAD REFERENCES US-ASCII UID 2:7,23,44,96 NOT UID 5"),
    "* THREAD (2)(3 6 (4 23)(44 7 96))\r\na OK THREAD done.\r\n",
  );
});

test("THREAD=REFERENCES: dummies kept, promoted and pruned; subject merging; loops; duplicate ids", async (t) => {
  const { c } = await withMessages(t, [
    /* 1 */ { subject: "kids", id: "<k1@x>", refs: "<gone@x>", date: day(1) },
    /* 2 */ { subject: "Re: kids 2", id: "<k2@x>", refs: "<gone@x>", date: day(2) },
    /* 3 */ { subject: "orphan", id: "<o@x>", refs: "<lost1@x> <lost2@x>", date: day(3) },
    /* 4 */ { subject: "Hello", id: "<h@x>", date: day(5) },
    /* 5 */ { subject: "Re: hello", id: "<h2@x>", date: day(4) }, // older, but a reply: under 4
    /* 6 */ { subject: "same", id: "<s1@x>", date: day(6) },
    /* 7 */ { subject: "same", id: "<s2@x>", date: day(7) },
    /* 8 */ { subject: "loop", id: "<l@x>", refs: "<l@x>", date: day(8) },
    /* 9 */ { subject: "dup", id: "<d@x>", date: day(9) },
    /* 10 */ { subject: "dup two", id: "<d@x>", date: day(10) },
    /* 11 */ { subject: "child of dup", id: "<dc@x>", irt: "<d@x> <other@x>", date: day(11) },
    /* 12 */ { subject: "no id", date: day(12) },
  ]);
  assert.equal(
    await c.cmd("a", "THREAD REFERENCES UTF-8 ALL"),
    "* THREAD ((1)(2))(3)(4 5)((6)(7))(8)(9 11)(10)(12)\r\na OK THREAD done.\r\n",
  );
});
