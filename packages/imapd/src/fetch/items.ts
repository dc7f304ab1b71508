// FETCH attribute grammar (RFC 3501 §6.4.5): which items, which body section, which range.

import { parseSection, type SectionSpec } from "@courier-imap/mime";
import type { Token } from "../parser/tokens.js";
import { BadCommand } from "../session/errors.js";

export type FetchItem =
  | { kind: "FLAGS" }
  | { kind: "UID" }
  | { kind: "RFC822.SIZE" }
  | { kind: "INTERNALDATE" }
  | { kind: "ENVELOPE" }
  | { kind: "BODYSTRUCTURE" }
  | { kind: "BODY-STRUCTURE" }
  | {
      kind: "BODY";
      /** Name in the response, e.g. `BODY[1.HEADER]<0>`, `RFC822`, `RFC822.HEADER`. */
      label: string;
      section: SectionSpec;
      /** Sets \Seen (BODY[...], RFC822, RFC822.TEXT; not .PEEK nor RFC822.HEADER). */
      marksSeen: boolean;
      partial?: { start: number; length: number };
    };

const MACROS: Record<string, string[]> = {
  ALL: ["FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE"],
  FAST: ["FLAGS", "INTERNALDATE", "RFC822.SIZE"],
  FULL: ["FLAGS", "INTERNALDATE", "RFC822.SIZE", "ENVELOPE", "BODY"],
};

const BODY_ATT = /^BODY(\.PEEK)?\[([^\]]*)\](?:<(\d+)\.(\d+)>)?$/is;

/** The section as the response names it: keywords upper-cased, field names as sent. */
function sectionLabel(spec: SectionSpec): string {
  let out = spec.part.join(".");
  if (spec.text) out += `${out ? "." : ""}${spec.text}`;
  if (spec.fields) out += ` (${spec.fields.join(" ")})`;
  return out;
}

function parseOne(text: string): FetchItem {
  const up = text.toUpperCase();
  switch (up) {
    case "FLAGS":
    case "UID":
    case "RFC822.SIZE":
    case "INTERNALDATE":
    case "ENVELOPE":
    case "BODYSTRUCTURE":
      return { kind: up };
    case "BODY":
      return { kind: "BODY-STRUCTURE" };
    case "RFC822":
      return { kind: "BODY", label: "RFC822", section: { part: [], text: "" }, marksSeen: true };
    case "RFC822.HEADER":
      return {
        kind: "BODY",
        label: "RFC822.HEADER",
        section: { part: [], text: "HEADER" },
        marksSeen: false,
      };
    case "RFC822.TEXT":
      return { kind: "BODY", label: "RFC822.TEXT", section: { part: [], text: "TEXT" }, marksSeen: true };
  }
  const m = BODY_ATT.exec(text);
  if (m) {
    const section = parseSection(m[2]);
    if (!section) throw new BadCommand(`invalid section [${m[2].slice(0, 60)}]`);
    const item: FetchItem = {
      kind: "BODY",
      label: `BODY[${sectionLabel(section)}]`,
      section,
      marksSeen: !m[1],
    };
    if (m[3] !== undefined) {
      const start = Number(m[3]);
      const length = Number(m[4]);
      if (length === 0 || !Number.isSafeInteger(length) || !Number.isSafeInteger(start))
        throw new BadCommand("invalid partial range");
      item.partial = { start, length };
      item.label += `<${start}>`;
    }
    return item;
  }
  throw new BadCommand(`invalid FETCH attribute ${JSON.stringify(text.slice(0, 40))}`);
}

/** The items of a FETCH argument: one attribute, a macro, or a parenthesised list. */
export function parseFetchItems(tok: Token | undefined): FetchItem[] {
  if (tok?.t === "atom") {
    const macro = MACROS[tok.v.toUpperCase()];
    return (macro ?? [tok.v]).map(parseOne);
  }
  if (tok?.t === "list" && tok.v.length) {
    return tok.v.map((t) => {
      if (t.t !== "atom") throw new BadCommand("invalid FETCH attribute");
      return parseOne(t.v);
    });
  }
  throw new BadCommand("invalid FETCH attributes");
}
