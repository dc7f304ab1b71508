// An instance run the way an admin runs Courier: `authdaemond start` and `imapd.rc start`
// with COURIER_SYSCONFDIR pointing at the instance's config directory, logging to a syslog
// socket of the test's own.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { bin, createInstance, type InstanceInfo } from "./instance.js";
import { freePort, listening } from "./net.js";
import { waitUntil } from "./procs.js";
import type { Receiver } from "./syslog.js";

export interface RcInstance {
  info: InstanceInfo;
  dir: string;
  pidFile: string;
  rc(script: string, action: string): { status: number | null; stdout: string; stderr: string };
  stopAll(): void;
}

export async function rcInstance(dir: string, syslog: Receiver): Promise<RcInstance> {
  const port = await freePort();
  const pidFile = join(dir, "run", "imapd.pid");
  const info = createInstance({
    dir,
    imapPort: port,
    imapsPort: await freePort(),
    certBits: 2048,
    imapd: { PIDFILE: pidFile, IMAP_LOGIN_FAIL_DELAY: "0" },
    imapdSsl: { IMAPDSTARTTLS: "NO" },
  });
  const env = { ...process.env, COURIER_SYSCONFDIR: info.config, COURIER_SYSLOG_SOCKET: syslog.path };
  const rc = (script: string, action: string) => {
    const r = spawnSync(bin(script), [action], { env, encoding: "utf8" });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const authd = (action: string) =>
    spawnSync(bin("authdaemond"), ["--config", join(info.config, "authdaemonrc"), action], {
      env,
      encoding: "utf8",
    });
  const a = authd("start");
  if (a.status !== 0) throw new Error(`authdaemond start: ${a.stderr}`);
  const s = rc("imapd.rc", "start");
  if (s.status !== 0) throw new Error(`imapd.rc start: ${s.stderr}`);
  await waitUntil(() => listening(port), "imapd.rc's listener", 10000);
  return {
    info,
    dir,
    pidFile,
    rc,
    stopAll() {
      rc("imapd.rc", "stop");
      authd("stop");
    },
  };
}
