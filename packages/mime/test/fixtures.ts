import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

// Compiled tests run from dist/test; the fixtures stay in test/fixtures.
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "test", "fixtures");

export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith(".eml"))
    .sort();
}

/** The CRLF form of an LF message, as the maildir package serves it. */
export function toWire(message: Buffer): Buffer {
  return Buffer.from(message.toString("latin1").replace(/\n/g, "\r\n"), "latin1");
}

export function expected<T>(file: string): T {
  return JSON.parse(readFileSync(join(FIXTURES, file), "utf8")) as T;
}
