// Running the bin/ executables from tests.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

export function tmp(prefix = "userdb-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeSource(path: string, text: string, mode = 0o600): void {
  writeFileSync(path, text, { mode });
  chmodSync(path, mode);
}

export function run(tool: string, args: string[], input = "", env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [join(ROOT, "bin", tool), ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

/** undefined when root, unshare and Debian's Courier binaries are here; else why not. */
export function interopMissing(files: string[]): string | undefined {
  if (process.getuid?.() !== 0) return "needs root (mount namespaces)";
  if (spawnSync("unshare", ["-m", "true"]).status !== 0) return "unshare -m does not work here";
  const absent = files.filter((f) => !existsSync(f));
  if (absent.length)
    return `Debian's courier-authlib-userdb/courier-authdaemon missing: ${absent.join(", ")}`;
  return undefined;
}

/** Skip with the reason on a developer machine; on CI (CI=true) a missing prerequisite fails. */
export function skipOrFail(t: TestContext, why: string | undefined): boolean {
  if (!why) return false;
  if (process.env.CI === "true") assert.fail(`cannot run on CI: ${why}`);
  t.skip(why);
  return true;
}

/** Sends raw bytes, returns everything the daemon wrote before it closed. */
export function exchange(socket: string, bytes: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = connect(socket);
    s.on("connect", () => s.write(bytes));
    s.on("data", (d) => chunks.push(d));
    s.on("error", reject);
    s.on("close", () => resolve(Buffer.concat(chunks)));
  });
}

export async function waitForSocket(socket: string, log: () => string, ms = 15000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const got = await exchange(socket, "PRE . login nobody-here\n").catch(() => undefined);
    if (got !== undefined) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${socket}\n${log()}`);
}
