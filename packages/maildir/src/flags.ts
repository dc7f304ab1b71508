// Maildir info-suffix flags (maildir-formats.md §2.2): exactly five letters, always
// written in the order D F R S T after `:2,`.

export type Flag = "\\Draft" | "\\Flagged" | "\\Answered" | "\\Seen" | "\\Deleted";

export const FLAG_LETTERS: readonly (readonly [string, Flag])[] = [
  ["D", "\\Draft"],
  ["F", "\\Flagged"],
  ["R", "\\Answered"],
  ["S", "\\Seen"],
  ["T", "\\Deleted"],
];

/** All system flags in the canonical order. */
export const ALL_FLAGS: readonly Flag[] = FLAG_LETTERS.map(([, f]) => f);

const BY_NAME = new Map<string, Flag>(ALL_FLAGS.map((f) => [f.toLowerCase(), f]));

/** The flag for an IMAP flag name (case-insensitive), or undefined for \Recent and keywords. */
export function flagByName(name: string): Flag | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** The identity of a message: its file name up to (not including) the last `:`. */
export function baseName(filename: string): string {
  const colon = filename.lastIndexOf(":");
  return colon < 0 ? filename : filename.slice(0, colon);
}

const NO_FLAGS: Flag[] = Object.freeze([]) as unknown as Flag[];
/** Info suffix → its flags: a folder has a handful of distinct suffixes, so arrays are shared. */
const bySuffix = new Map<string, Flag[]>();

/** Flags of a `cur/` file name; names without a `:2,` suffix have none. The array is frozen. */
export function parseFlags(filename: string): Flag[] {
  const colon = filename.lastIndexOf(":");
  if (colon < 0 || !filename.startsWith("2,", colon + 1)) return NO_FLAGS;
  const info = filename.slice(colon + 3);
  let flags = bySuffix.get(info);
  if (!flags) {
    flags = Object.freeze(
      FLAG_LETTERS.filter(([letter]) => info.includes(letter)).map(([, f]) => f),
    ) as Flag[];
    if (bySuffix.size < 1000) bySuffix.set(info, flags);
  }
  return flags;
}

/** The file name carrying exactly `flags`: the suffix is rebuilt from scratch, as Courier does. */
export function nameWithFlags(filename: string, flags: Iterable<Flag>): string {
  const set = new Set(flags);
  let letters = "";
  for (const [letter, f] of FLAG_LETTERS) if (set.has(f)) letters += letter;
  return `${baseName(filename)}:2,${letters}`;
}

/** Flags in canonical order, duplicates removed. */
export function normalizeFlags(flags: Iterable<Flag>): Flag[] {
  const set = new Set(flags);
  return ALL_FLAGS.filter((f) => set.has(f));
}

/** A file name as the uiddb and keyword files store it: its UTF-8 bytes as a latin1 string. */
export function latin1Name(name: string): string {
  for (let i = 0; i < name.length; i++)
    if (name.charCodeAt(i) > 0x7f) return Buffer.from(name).toString("latin1");
  return name;
}
