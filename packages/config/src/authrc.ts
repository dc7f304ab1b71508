// The auth*rc file format of authldaprc, authmysqlrc, authpgsqlrc (spec/auth-modules.md §0):
// `NAME value` lines, `#` comment lines, a trailing `\` continues the value on the next line,
// the first occurrence of a name wins, values are literal, and the sysconftool
// `##NAME: MARKER:` line must be present. AuthRcFile re-stats the file on every use and
// re-parses it when its mtime changes; a broken new version keeps the old one in effect.

import { readFileSync, statSync } from "node:fs";

export class AuthRcError extends Error {
  override name = "AuthRcError";
}

export function parseAuthRc(text: string, file: string): Map<string, string> {
  const out = new Map<string, string>();
  let marker = false;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith("##NAME: MARKER:")) marker = true;
    let line = lines[i].trim();
    if (line === "" || line.startsWith("#")) continue;
    // Continuation: the backslash becomes a space; comment lines are not special inside.
    while (line.endsWith("\\") && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i].trim()}`;
    if (line.endsWith("\\")) line = line.slice(0, -1);
    const m = /^(\S+)(.*)$/s.exec(line.trim());
    if (m && !out.has(m[1])) out.set(m[1], m[2].trim());
  }
  if (!marker)
    throw new AuthRcError(
      `marker line not found in ${file} (probably forgot to run sysconftool after an upgrade)`,
    );
  return out;
}

/** A parsed auth*rc file turned into a module's settings by `build`, reloaded on mtime change. */
export class AuthRcFile<T> {
  private mtimeMs = -1;
  private value: T | undefined;

  constructor(
    readonly file: string,
    private readonly build: (rc: Map<string, string>) => T,
    private readonly warn: (msg: string) => void,
  ) {}

  /** The settings, and whether this call loaded a new version; throws AuthRcError when unusable. */
  current(): { settings: T; reloaded: boolean } {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.file).mtimeMs;
    } catch {
      throw new AuthRcError(`stat(${this.file}) failed`);
    }
    if (this.value !== undefined && mtimeMs === this.mtimeMs)
      return { settings: this.value, reloaded: false };
    let settings: T;
    try {
      settings = this.build(parseAuthRc(readFileSync(this.file, "utf8"), this.file));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (this.value === undefined) throw new AuthRcError(msg);
      this.warn(`${msg}; keeping the previous settings, will try again later`);
      return { settings: this.value, reloaded: false };
    }
    const reloaded = this.value !== undefined;
    this.value = settings;
    this.mtimeMs = mtimeMs;
    return { settings, reloaded };
  }

  /** Forget the loaded version (the next current() reads the file again). */
  reset(): void {
    this.value = undefined;
    this.mtimeMs = -1;
  }
}
