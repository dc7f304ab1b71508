// One running instance shared by the tests of a file (node:test hooks, so not in instance.ts,
// which the demo and the benchmarks load too).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { createInstance, type InstanceInfo, type Running, startInstance } from "./instance.js";
import { freePort } from "./net.js";

/**
 * An instance (IMAP and IMAPS ports, the shipped config) for the tests of one file: created
 * and started before them, stopped and removed after them. Read `.info` inside the tests.
 */
export function instanceForTests(prefix: string): { info: InstanceInfo } {
  const ctx = {} as { info: InstanceInfo };
  let dir: string;
  let server: Running | undefined;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), prefix));
    ctx.info = createInstance({
      dir,
      imapPort: await freePort(),
      imapsPort: await freePort(),
      certBits: 2048,
    });
    server = await startInstance(ctx.info);
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  return ctx;
}
