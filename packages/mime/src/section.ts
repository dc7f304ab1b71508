// BODY[section] (RFC 3501 §6.4.5) resolved against a cached structure into what imapd
// sends: a byte range of the CRLF form, or synthesized bytes for HEADER.FIELDS. Part
// numbering follows Dovecot: "1" of a non-multipart part is the part itself, a
// message/rfc822 part is entered only when more part numbers follow, and a section that
// names nothing yields an empty string rather than an error.

import { headerFields } from "./header-field.js";
import type { MessageStructure, MimePart } from "./types.js";

export interface SectionSpec {
  /** Part numbers, [] for the top level. */
  part: number[];
  text: "" | "HEADER" | "HEADER.FIELDS" | "HEADER.FIELDS.NOT" | "TEXT" | "MIME";
  /** Field names for HEADER.FIELDS(.NOT). */
  fields?: string[];
}

export type SectionData =
  | { kind: "range"; start: number; end: number }
  | { kind: "bytes"; bytes: Buffer }
  /** Read [start, end) of the CRLF form (a header) and pass it through filterHeaderFields. */
  | { kind: "filter"; start: number; end: number; fields: string[]; not: boolean };

/** Parses the text between "[" and "]", e.g. `1.2.HEADER.FIELDS (From To)`; null if invalid. */
export function parseSection(spec: string): SectionSpec | null {
  const m = /^((?:[1-9]\d*\.)*(?:[1-9]\d*)?)(.*)$/s.exec(spec);
  if (!m) return null;
  let nums = m[1];
  let rest = m[2];
  if (nums.endsWith(".")) {
    if (!rest) return null;
    nums = nums.slice(0, -1);
  } else if (nums && rest) {
    if (!rest.startsWith(".")) return null;
  }
  if (nums && rest.startsWith(".")) rest = rest.slice(1);
  const part = nums ? nums.split(".").map(Number) : [];
  if (part.some((n) => !Number.isSafeInteger(n))) return null;
  const fm = /^(HEADER\.FIELDS(?:\.NOT)?)\s+\((.*)\)$/is.exec(rest);
  if (fm) {
    const fields = fm[2]
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((f) => f.replace(/^"(.*)"$/, "$1"));
    if (!fields.length) return null;
    return { part, text: fm[1].toUpperCase() as SectionSpec["text"], fields };
  }
  const text = rest.toUpperCase();
  if (text === "" || text === "HEADER" || text === "TEXT") return { part, text };
  if (text === "MIME" && part.length) return { part, text };
  return null;
}

/** The part a list of part numbers names, or null. */
export function findPart(root: MimePart, nums: number[]): MimePart | null {
  let part: MimePart | null = root;
  for (let i = 0; i < nums.length && part; i++) {
    const n = nums[i];
    const more = i + 1 < nums.length;
    if (part.parts) part = part.parts[n - 1] ?? null;
    else if (n !== 1 || (more && !part.message)) part = null;
    if (part?.message && more) part = part.message;
  }
  return part;
}

const EMPTY: SectionData = { kind: "bytes", bytes: Buffer.alloc(0) };

/** What to send for BODY[section] (before any <partial>). */
export function resolveSection(s: MessageStructure, spec: SectionSpec): SectionData {
  let part = findPart(s.root, spec.part);
  if (!part) return EMPTY;
  if (spec.text === "MIME") return headerData(part, spec);
  if (spec.text === "") {
    if (spec.part.length === 0) return { kind: "range", start: 0, end: s.size };
    const start = part.headerOffset + part.headerSize;
    return { kind: "range", start, end: start + part.bodySize };
  }
  if (spec.part.length) {
    if (!part.message) return EMPTY;
    part = part.message;
  }
  if (spec.text === "TEXT") {
    const start = part.headerOffset + part.headerSize;
    return { kind: "range", start, end: start + part.bodySize };
  }
  return headerData(part, spec);
}

function headerData(part: MimePart, spec: SectionSpec): SectionData {
  const start = part.headerOffset;
  const end = start + part.headerSize;
  if (!spec.fields) return { kind: "range", start, end };
  const not = spec.text === "HEADER.FIELDS.NOT";
  if (part.header !== undefined) {
    return { kind: "bytes", bytes: filterHeaderFields(Buffer.from(part.header, "latin1"), spec.fields, not) };
  }
  return { kind: "filter", start, end, fields: spec.fields, not };
}

/**
 * The fields of a header (wire form) whose names are (not) in `names`, in message order,
 * followed by the blank line RFC 3501 requires.
 */
export function filterHeaderFields(header: Buffer, names: string[], not: boolean): Buffer {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const out: string[] = [];
  for (const field of headerFields(header.toString("latin1"))) {
    const colon = field.indexOf(":");
    const name = (colon < 0 ? field.replace(/\r?\n$/, "") : field.slice(0, colon)).trim().toLowerCase();
    if (wanted.has(name) !== not) out.push(field.endsWith("\n") ? field : `${field}\r\n`);
  }
  out.push("\r\n");
  return Buffer.from(out.join(""), "latin1");
}

/** Applies <origin.count> to a length: the [start, end) slice to send. */
export function partialRange(length: number, origin: number, count?: number): { start: number; end: number } {
  const start = Math.min(origin, length);
  const end = count === undefined ? length : Math.min(length, start + count);
  return { start, end };
}
