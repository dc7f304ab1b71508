// Installs the workspace's dependencies when they are missing or stale, so that
// `npm run demo` and `npm test` work on a fresh clone with only Node and npm.
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const marker = join(root, "node_modules", ".modules.yaml");
const lock = join(root, "pnpm-lock.yaml");

function stale() {
  if (!existsSync(marker)) return true;
  if (!existsSync(lock)) return true;
  return statSync(lock).mtimeMs > statSync(marker).mtimeMs;
}

function pnpm(args) {
  const hasGlobal = spawnSync("pnpm", ["--version"], { stdio: "ignore" }).status === 0;
  const [cmd, pre] = hasGlobal ? ["pnpm", []] : ["npx", ["-y", "pnpm@9"]];
  const r = spawnSync(cmd, [...pre, ...args], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`setup: pnpm ${args.join(" ")} failed`);
    process.exit(r.status ?? 1);
  }
}

if (stale()) {
  const frozen = process.env.CI === "true" && existsSync(lock) ? ["--frozen-lockfile"] : [];
  pnpm(["install", ...frozen]);
}
