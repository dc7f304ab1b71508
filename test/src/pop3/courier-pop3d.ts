// Debian's courier-pop (courierpop3d) run by hand on a maildir, as the account's uid: it
// then serves the transaction state on stdin/stdout, as after courierpop3login.
// Missing binary: the caller skips, except with CI=true, where it fails.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname } from "node:path";

const CANDIDATES = [process.env.COURIER_POP3D, "/usr/lib/courier/courier/courierpop3d"];
export const courierPop3d = CANDIDATES.find((p) => p && existsSync(p));

export function courierPop3dMissing(): string | undefined {
  if (courierPop3d) return undefined;
  const why = "Courier's courierpop3d is not installed (apt-get install courier-pop)";
  if (process.env.CI === "true") throw new Error(why);
  return why;
}

/** One session; `commands` are sent as CRLF lines. The cwd is the maildir's parent (HOME). */
export function courierPop3(
  maildir: string,
  commands: string[],
  owner: { uid?: number; gid?: number },
): string {
  const r = spawnSync(courierPop3d!, [maildir], {
    input: commands.map((c) => `${c}\r\n`).join(""),
    cwd: dirname(maildir),
    env: { PATH: "/usr/bin:/bin", TCPREMOTEIP: "127.0.0.1", TCPREMOTEPORT: "0", UTF8: "1" },
    ...(owner.uid !== undefined ? { uid: owner.uid, gid: owner.gid } : {}),
  });
  return r.stdout.toString("utf8");
}

/** The lines of the multi-line reply that follows the `+OK` at `index` among `+OK` replies. */
export function multiline(out: string, first: string): string[] {
  const lines = out.split("\r\n");
  const start = lines.indexOf(first);
  const res: string[] = [];
  for (let i = start + 1; start >= 0 && i < lines.length && lines[i] !== "."; i++) res.push(lines[i]);
  return res;
}
