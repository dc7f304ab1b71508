import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh maildir root (tmp/ new/ cur/) in a temp dir; `cleanup` removes it. */
export function makeMaildir(): { root: string; cleanup: () => void } {
  const base = mkdtempSync(join(tmpdir(), "maildir-test-"));
  const root = join(base, "Maildir");
  for (const d of ["", "tmp", "new", "cur"]) mkdirSync(join(root, d), { recursive: true });
  return { root, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

export function put(root: string, sub: string, name: string, content: string, mtimeSec?: number): void {
  const p = join(root, sub, name);
  writeFileSync(p, content);
  if (mtimeSec !== undefined) utimesSync(p, mtimeSec, mtimeSec);
}
