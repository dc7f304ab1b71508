// SEARCH HEADER/FROM/TO/CC/BCC/SUBJECT: the decoded values of a named field.

import { decodeHeaderValue } from "./encoded-words.js";
import { headerFields, splitField } from "./header-field.js";
import { containsFolded } from "./search-text.js";

/** Decoded values of every occurrence of `name` in a header block (binary string). */
export function headerValues(header: string, name: string): string[] {
  const want = name.toLowerCase();
  const out: string[] = [];
  for (const f of headerFields(header)) {
    const sf = splitField(f);
    if (sf && sf.name.toLowerCase() === want) out.push(decodeHeaderValue(sf.value));
  }
  return out;
}

/**
 * RFC 3501 SEARCH HEADER semantics: true when some `name` field contains `needle`
 * (case-insensitively, after RFC 2047 decoding); an empty needle matches any such field.
 */
export function headerContains(header: string, name: string, needle: string): boolean {
  return headerValues(header, name).some((v) => needle === "" || containsFolded(v, needle));
}
