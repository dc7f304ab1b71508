// Account OPTIONS: comma-separated `name=value` items (spec/authdaemon-protocol.md §6).

/** Value of option `name`: first exact match wins; bare name → ""; absent → undefined. */
export function getOption(options: string | undefined, name: string): string | undefined {
  if (!options) return undefined;
  for (const item of options.split(",")) {
    const eq = item.indexOf("=");
    const key = eq < 0 ? item : item.slice(0, eq);
    if (key === name) return eq < 0 ? "" : item.slice(eq + 1);
  }
  return undefined;
}

/** Courier's auth_getoptionenvint: atoi, but a value starting with t/T/y/Y counts as 1. */
export function getOptionInt(options: string | undefined, name: string): number {
  const v = getOption(options, name);
  if (v === undefined) return 0;
  const n = Number.parseInt(v, 10);
  if (Number.isFinite(n) && n !== 0) return n;
  return /^[tTyY]/.test(v) ? 1 : 0;
}

/** Appends each DEFAULTOPTIONS item whose name the account does not already set. */
export function mergeDefaultOptions(own: string | undefined, defaults: string | undefined): string {
  const mine = own ?? "";
  if (!defaults) return mine;
  if (!mine) return defaults;
  let out = mine;
  for (const item of defaults.split(",")) {
    if (!item) continue;
    const eq = item.indexOf("=");
    const key = eq < 0 ? item : item.slice(0, eq);
    if (getOption(mine, key) === undefined) out += `,${item}`;
  }
  return out;
}
