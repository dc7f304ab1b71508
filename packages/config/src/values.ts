// How Courier's programs interpret setting values (spec/config-upgrade.md §2.1).
// Each reader takes an environment-like map, since the servers read only their environment.

export type Env = Record<string, string | undefined> | NodeJS.ProcessEnv;

/** C atoi: optional sign and leading digits after leading blanks; anything else → 0. */
export function atoi(value: string | undefined): number {
  const m = /^[ \t\n]*([+-]?\d+)/.exec(value ?? "");
  return m ? Number.parseInt(m[1], 10) : 0;
}

/** Integer setting; unset (or empty) → `dflt`, else atoi. */
export function intSetting(env: Env, name: string, dflt = 0): number {
  const v = env[name];
  return v === undefined || v === "" ? dflt : atoi(v);
}

/** Non-zero integer = on (IMAP_TLS, IMAP_ACL, …). */
export function onIfNonZero(env: Env, name: string): boolean {
  return atoi(env[name]) !== 0;
}

/** On iff the value starts with y/Y (IMAP_STARTTLS, POP3_STARTTLS). */
export function onIfYes(env: Env, name: string): boolean {
  return /^[yY]/.test(env[name] ?? "");
}

/** Non-empty string or undefined. */
export function stringSetting(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === "" ? undefined : v;
}

/** Seconds as a possibly fractional number; unset/invalid → dflt. */
export function secondsSetting(env: Env, name: string, dflt: number): number {
  const v = Number.parseFloat(env[name] ?? "");
  return Number.isFinite(v) && v >= 0 ? v : dflt;
}
