// FETCH attribute grammar (RFC 3501 §6.4.5): which items, which body section, which range.

import type { Token } from "../parser/tokens.js";
import { BadCommand, CommandRefused } from "../session/errors.js";

export type Section = "" | "HEADER" | "TEXT";

export type FetchItem =
  | { kind: "FLAGS" }
  | { kind: "UID" }
  | { kind: "RFC822.SIZE" }
  | { kind: "INTERNALDATE" }
  | {
      kind: "BODY";
      /** Name in the response, e.g. `BODY[]`, `RFC822`, `RFC822.HEADER`. */
      label: string;
      section: Section;
      /** Sets \Seen (BODY[...] and RFC822, RFC822.TEXT; not .PEEK nor RFC822.HEADER). */
      marksSeen: boolean;
      partial?: { start: number; length: number };
    };

const MACROS: Record<string, string[]> = {
  FAST: ["FLAGS", "INTERNALDATE", "RFC822.SIZE"],
};

const UNSUPPORTED = new Set(["ALL", "FULL", "ENVELOPE", "BODYSTRUCTURE", "BODY"]);

const BODY_ATT = /^BODY(\.PEEK)?\[([^\]]*)\](?:<(\d+)\.(\d+)>)?$/i;

function parseOne(text: string): FetchItem {
  const up = text.toUpperCase();
  switch (up) {
    case "FLAGS":
    case "UID":
    case "RFC822.SIZE":
    case "INTERNALDATE":
      return { kind: up };
    case "RFC822":
      return { kind: "BODY", label: "RFC822", section: "", marksSeen: true };
    case "RFC822.HEADER":
      return { kind: "BODY", label: "RFC822.HEADER", section: "HEADER", marksSeen: false };
    case "RFC822.TEXT":
      return { kind: "BODY", label: "RFC822.TEXT", section: "TEXT", marksSeen: true };
  }
  const m = BODY_ATT.exec(text);
  if (m) {
    const section = m[2].toUpperCase();
    if (section !== "" && section !== "HEADER" && section !== "TEXT") {
      throw new CommandRefused(`FETCH section [${section}] is not supported yet.`);
    }
    const item: FetchItem = { kind: "BODY", label: `BODY[${section}]`, section, marksSeen: !m[1] };
    if (m[3] !== undefined) {
      const length = Number(m[4]);
      if (length === 0 || !Number.isSafeInteger(length)) throw new BadCommand("invalid partial range");
      item.partial = { start: Number(m[3]), length };
      item.label += `<${item.partial.start}>`;
    }
    return item;
  }
  if (UNSUPPORTED.has(up)) throw new CommandRefused(`FETCH ${up} is not supported yet.`);
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
