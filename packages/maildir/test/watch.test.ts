// The polling fallback of the IDLE watcher (no inotify): a stat of the directories every
// statPollMs notices a delivery within about a second; the forced rescan every pollMs fires
// with nothing changed. Bounds are generous: they tell 1 s polling from Courier's 60 s.

import assert from "node:assert/strict";
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { watchFolder } from "../src/index.js";
import { makeMaildir } from "./helpers.js";

function deliver(root: string, name: string): void {
  writeFileSync(join(root, "tmp", name), "Subject: x\n\nbody\n");
  renameSync(join(root, "tmp", name), join(root, "new", name));
}

test("polling without inotify: a delivery into new/ is noticed within ~1 s, nothing fires before", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  await sleep(100); // the fresh directories' mtimes are no longer "racy"
  const fired: number[] = [];
  const w = watchFolder(root, () => fired.push(performance.now()), { useInotify: false, pollMs: 60_000 });
  t.after(() => w.close());
  assert.equal(w.mode, "poll");
  await sleep(1500);
  assert.deepEqual(fired, [], "no change, no event");
  const t0 = performance.now();
  deliver(root, "1700000000.M1P1.test");
  while (!fired.length && performance.now() - t0 < 5000) await sleep(20);
  assert.equal(fired.length, 1, "the delivery was noticed");
  const latency = fired[0] - t0;
  assert.ok(latency < 2500, `noticed after ${latency.toFixed(0)} ms`);
  // a change to cur/ (another session's STORE renames a file there) too
  const t1 = performance.now();
  renameSync(join(root, "new", "1700000000.M1P1.test"), join(root, "cur", "1700000000.M1P1.test:2,S"));
  while (fired.length < 2 && performance.now() - t1 < 5000) await sleep(20);
  assert.equal(fired.length, 2);
  assert.ok(fired[1] - t1 < 2500, `noticed after ${(fired[1] - t1).toFixed(0)} ms`);
});

test("polling: the forced rescan fires every pollMs even with no visible change; statPollMs=0 only that", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  let n = 0;
  const w = watchFolder(root, () => n++, { useInotify: false, pollMs: 200, statPollMs: 0 });
  await sleep(1100);
  w.close();
  assert.ok(n >= 3 && n <= 6, `${n} rescans in 1.1 s at 200 ms`);
  const m = n;
  await sleep(400);
  assert.equal(n, m, "nothing after close()");
});
