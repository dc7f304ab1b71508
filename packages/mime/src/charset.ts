// Charset conversion to JS strings through iconv-lite, with the fallbacks mail needs.

import iconv from "iconv-lite";

const ALIASES: Record<string, string> = {
  "us-ascii": "windows-1252",
  ascii: "windows-1252",
  "iso-8859-1": "windows-1252",
  latin1: "windows-1252",
  "ks_c_5601-1987": "cp949",
  gb2312: "gbk",
  "x-unknown": "utf-8",
  unknown: "utf-8",
  utf8: "utf-8",
};

/** The iconv-lite name for a MIME charset label, or null when it is not supported. */
export function charsetName(label: string): string | null {
  const l = label.trim().toLowerCase();
  const name = ALIASES[l] ?? l;
  return iconv.encodingExists(name) ? name : null;
}

const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Bytes of unknown charset (raw 8-bit headers): UTF-8 when valid, else windows-1252. */
export function decodeUnknown(bytes: Buffer): string {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return iconv.decode(bytes, "windows-1252");
  }
}

/** Decodes bytes in the named charset; unknown charsets fall back to decodeUnknown. */
export function decodeCharset(bytes: Buffer, label: string): string {
  const name = charsetName(label);
  if (!name || name === "utf-8") return decodeUnknown(bytes);
  return iconv.decode(bytes, name);
}

export interface StreamDecoder {
  write(bytes: Buffer): string;
  end(): string;
}

/** An incremental decoder: multi-byte sequences split across chunks are kept together. */
export function charsetDecoder(label: string): StreamDecoder {
  const name = charsetName(label) ?? "utf-8";
  const d = iconv.getDecoder(name);
  return { write: (b) => d.write(b), end: () => d.end() ?? "" };
}
