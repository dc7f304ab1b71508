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

/**
 * The raw values (binary strings, as splitField gives them) of every occurrence of the
 * named fields (lower case) in a header block, for a cache; decode with decodeHeaderValue.
 */
export function rawFieldValues(header: string, names: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const n of names) out[n] = [];
  for (const f of headerFields(header)) {
    const sf = splitField(f);
    if (!sf) continue;
    const key = sf.name.toLowerCase();
    if (Object.hasOwn(out, key)) out[key].push(sf.value);
  }
  return out;
}

/** headerContains over raw values from rawFieldValues. */
export function valuesContain(rawValues: readonly string[], needle: string): boolean {
  return rawValues.some((v) => needle === "" || containsFolded(decodeHeaderValue(v), needle));
}
