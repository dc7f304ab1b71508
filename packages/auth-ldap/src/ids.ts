// LDAP_GLOB_UID / LDAP_GLOB_GID: a number, or a user or group name resolved through NSS
// (getent), as Courier's getpwnam/getgrnam do.

import { execFileSync } from "node:child_process";

function getent(db: "passwd" | "group", name: string): number | undefined {
  try {
    const line = execFileSync("getent", [db, name], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const id = Number.parseInt(line.split(":")[2] ?? "", 10);
    return Number.isFinite(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/** The numeric id for `value`; throws a message naming the setting when it cannot be resolved. */
export function resolveId(setting: string, value: string, db: "passwd" | "group"): number {
  if (/^\d+$/.test(value)) return Number.parseInt(value, 10);
  const id = getent(db, value);
  if (id === undefined) throw new Error(`${setting}: unknown ${db === "passwd" ? "user" : "group"} ${value}`);
  return id;
}
