// SORT criteria (RFC 5256 §3, RFC 5957 DISPLAYFROM/DISPLAYTO) and the comparison they define.
// Equal under every criterion: sequence number order.

import type { Token } from "../parser/tokens.js";
import { BadCommand } from "../session/errors.js";
import { compareCodePoints } from "./collate.js";
import type { MessageFacts } from "./facts.js";

type Key = "ARRIVAL" | "CC" | "DATE" | "FROM" | "SIZE" | "SUBJECT" | "TO" | "DISPLAYFROM" | "DISPLAYTO";
const KEYS = new Set<string>([
  "ARRIVAL",
  "CC",
  "DATE",
  "FROM",
  "SIZE",
  "SUBJECT",
  "TO",
  "DISPLAYFROM",
  "DISPLAYTO",
]);
const MAX_CRITERIA = 1000;

export interface Criterion {
  key: Key;
  reverse: boolean;
}

export function parseCriteria(t: Token | undefined): Criterion[] {
  if (t?.t !== "list") throw new BadCommand("Sort criteria must be a parenthesized list");
  if (!t.v.length) throw new BadCommand("Empty sort criteria");
  if (t.v.length > MAX_CRITERIA) throw new BadCommand("Too many sort criteria");
  const out: Criterion[] = [];
  let reverse = false;
  for (const tok of t.v) {
    if (tok.t !== "atom") throw new BadCommand("Invalid sort criterion");
    const name = tok.v.toUpperCase();
    if (name === "REVERSE") {
      if (reverse) throw new BadCommand("REVERSE REVERSE in sort criteria");
      reverse = true;
      continue;
    }
    if (!KEYS.has(name)) throw new BadCommand(`Unknown sort criterion ${tok.v.slice(0, 30)}`);
    out.push({ key: name as Key, reverse });
    reverse = false;
  }
  if (reverse) throw new BadCommand("REVERSE without a sort key");
  return out;
}

async function value(f: MessageFacts, key: Key): Promise<number | string> {
  switch (key) {
    case "ARRIVAL":
      return f.arrival();
    case "DATE":
      return f.sentDate();
    case "SIZE":
      return f.size();
    case "SUBJECT":
      return (await f.subject()).key;
    case "FROM":
      return f.mailboxOf("from");
    case "TO":
      return f.mailboxOf("to");
    case "CC":
      return f.mailboxOf("cc");
    case "DISPLAYFROM":
      return f.displayOf("from");
    case "DISPLAYTO":
      return f.displayOf("to");
  }
}

function compare(a: number | string, b: number | string): number {
  if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
  return compareCodePoints(String(a), String(b));
}

/** The messages in the order the criteria give. */
export async function sortMessages(msgs: MessageFacts[], criteria: Criterion[]): Promise<MessageFacts[]> {
  // One message at a time: a large folder must not open all its files at once.
  const rows: { f: MessageFacts; v: (number | string)[] }[] = [];
  for (const f of msgs) {
    const v: (number | string)[] = [];
    for (const c of criteria) v.push(await value(f, c.key));
    rows.push({ f, v });
  }
  rows.sort((x, y) => {
    for (let i = 0; i < criteria.length; i++) {
      const c = compare(x.v[i], y.v[i]);
      if (c) return criteria[i].reverse ? -c : c;
    }
    return x.f.seq - y.f.seq;
  });
  return rows.map((r) => r.f);
}
