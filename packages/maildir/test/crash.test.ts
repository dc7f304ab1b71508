// Crash safety: a child delivering (new/) or appending (cur/ + uiddb + quota) is SIGKILLed at
// random points many times; every acknowledged message must be present and whole, and no
// partial message may ever appear in new/ or cur/.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { baseName, Maildir, parseUidDb } from "../src/index.js";
import { isWhole } from "./fixtures/message.js";
import { makeMaildir } from "./helpers.js";

const WRITER = join(import.meta.dirname, "fixtures", "writer.js");
const ROUNDS = 40;

/**
 * Runs the writer and SIGKILLs it `ms` after its first acknowledgement, so every round kills
 * a process in the middle of writing however slowly the machine starts processes.
 */
function runAndKill(root: string, mode: string, seed: number, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WRITER, root, mode, String(seed)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    let timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.stdout.on("data", (d) => {
      if (!out.includes("ACK ") && String(d).includes("ACK ")) {
        clearTimeout(timer);
        timer = setTimeout(() => child.kill("SIGKILL"), ms);
      }
      out += d;
    });
    child.on("exit", () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

for (const mode of ["deliver", "append"]) {
  test(`SIGKILL during ${mode}: acknowledged messages whole, no partial file in new/ or cur/ (${ROUNDS} kills)`, async (t) => {
    const { root, cleanup } = makeMaildir();
    t.after(cleanup);
    const acked = new Map<string, string>();
    for (let round = 0; round < ROUNDS; round++) {
      const out = await runAndKill(root, mode, round, Math.floor(Math.random() * 150));
      for (const line of out.split("\n")) {
        const m = /^ACK (\S+) ([0-9a-f]{40})$/.exec(line);
        if (m) acked.set(baseName(m[1]), m[2]);
      }
    }
    assert.ok(acked.size >= ROUNDS, `only ${acked.size} messages were acknowledged`);
    const stored = new Map<string, string>();
    for (const sub of ["new", "cur"]) {
      for (const name of readdirSync(join(root, sub))) {
        const text = readFileSync(join(root, sub, name), "latin1");
        assert.ok(isWhole(text), `partial message in ${sub}/: ${name}`);
        stored.set(baseName(name), createHash("sha1").update(text, "latin1").digest("hex"));
      }
    }
    for (const [base, sha] of acked)
      assert.equal(stored.get(base), sha, `acknowledged message ${base} missing or changed`);
    // the store is still usable: a scan gives every message a distinct UID and a valid db
    const folder = await (await Maildir.open(root)).openFolder("INBOX");
    assert.equal(folder.messages.length, stored.size);
    assert.equal(new Set(folder.messages.map((m) => m.uid)).size, stored.size);
    const db = parseUidDb(readFileSync(join(root, "courierimapuiddb"), "latin1"));
    assert.ok(db);
    assert.equal(db.uids.size, stored.size);
  });
}
