// Shared by the process-level tests: running the bin/ tools, raw socket exchanges, waiting,
// and the rule for tests that need root, unshare or Debian's Courier binaries: skip with
// the reason on a developer machine, fail on CI.

import assert from "node:assert/strict";
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

export function tool(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input = "",
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(ROOT, "bin", name), ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

/** Sends raw bytes, returns everything the daemon wrote before it closed. */
export function exchange(socket: string, bytes: string | Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = connect(socket);
    s.on("connect", () => s.write(bytes));
    s.on("data", (d) => chunks.push(d));
    s.on("error", reject);
    s.on("close", () => resolve(Buffer.concat(chunks)));
  });
}

export function authRequest(service: string, user: string, pass: string): string {
  const body = `${service}\nlogin\n${user}\n${pass}\n`;
  return `AUTH ${Buffer.byteLength(body)}\n${body}`;
}

export function children(pid: number): number[] {
  const out: number[] = [];
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (new RegExp(`^PPid:\\s+${pid}$`, "m").test(readFileSync(`/proc/${p}/status`, "utf8")))
        out.push(Number(p));
    } catch {}
  }
  return out;
}

export async function waitFor(
  what: string,
  cond: () => boolean | Promise<boolean>,
  ms = 10000,
  log = () => "",
): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (
      await Promise.resolve()
        .then(cond)
        .catch(() => false)
    )
      return;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${what}\n${log()}`);
}

/** undefined when everything is there; otherwise the reason the test cannot run here. */
export function missing(needs: {
  root?: boolean;
  unshare?: boolean;
  files?: string[];
  commands?: string[];
}): string | undefined {
  if (needs.root && process.getuid?.() !== 0) return "needs root";
  if (needs.unshare && spawnSync("unshare", ["-m", "true"]).status !== 0)
    return "unshare -m does not work here";
  for (const f of needs.files ?? []) if (!existsSync(f)) return `${f} is not installed`;
  for (const c of needs.commands ?? [])
    if (spawnSync("sh", ["-c", `command -v ${c}`]).status !== 0) return `${c} is not installed`;
  return undefined;
}

/** Skips (or, with CI=true, fails) the test when `reason` is set; true when it must not run. */
export function skipUnless(t: TestContext, reason: string | undefined): boolean {
  if (!reason) return false;
  if (process.env.CI === "true") assert.fail(`cannot run on CI: ${reason}`);
  t.skip(reason);
  return true;
}
