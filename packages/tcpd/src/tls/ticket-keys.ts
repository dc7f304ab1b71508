// TLS_CACHEFILE: Courier keeps a session cache there, shared by its couriertls processes
// and recreated empty by the rc script at each start. Our workers are separate processes
// too, so the file holds what they must share for resumption: the 48 bytes of
// session-ticket keys (stateless resumption needs no cache size; TLS_CACHESIZE is only
// checked). The first worker that finds the file short fills it; readers that lose a
// race merely miss one resumption.

import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { TlsConfigError } from "./errors.js";

const KEY_BYTES = 48;

export function ticketKeys(file: string): Buffer {
  let data: Buffer | undefined;
  try {
    data = readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT")
      throw new TlsConfigError("TLS_CACHEFILE", `cannot read ${file}: ${(e as NodeJS.ErrnoException).code}`);
  }
  if (data && data.length >= KEY_BYTES) return data.subarray(0, KEY_BYTES);
  const keys = randomBytes(KEY_BYTES);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, keys, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (e) {
    throw new TlsConfigError("TLS_CACHEFILE", `cannot write ${file}: ${(e as NodeJS.ErrnoException).code}`);
  }
  return keys;
}
