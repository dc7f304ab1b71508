// Shared by the couriertcpd process tests: start bin/couriertcpd on a free port, connect
// line-oriented clients, wait on the kernel's socket table.

import { type ChildProcess, spawn } from "node:child_process";
import { connect, type Socket } from "node:net";
import { join } from "node:path";
import { freePort, listening } from "@courier-imap/testkit";

export { freePort, listening };

export const BIN = join(import.meta.dirname, "..", "..", "..", "..", "bin", "couriertcpd");
export const SHOW =
  'echo "ip=$TCPREMOTEIP rport=$TCPREMOTEPORT local=$TCPLOCALIP:$TCPLOCALPORT pid=$$"; read x; echo "got $x"';

export interface Tcpd {
  proc: ChildProcess;
  port: number;
  stderr: () => string;
}

/** `addr` is the port list's address part ("" = all addresses, dual-stack). */
export async function startTcpd(
  opts: string[],
  program: string[],
  addr = "127.0.0.1",
  env: NodeJS.ProcessEnv = process.env,
): Promise<Tcpd> {
  const port = await freePort();
  const proc = spawn(BIN, [...opts, addr ? `${addr}.${port}` : String(port), ...program], {
    stdio: ["ignore", "ignore", "pipe"],
    env,
  });
  let err = "";
  proc.stderr!.on("data", (d) => (err += d));
  // Probing with a connection would itself take a slot, so watch the kernel's socket table.
  for (let i = 0; i < 200 && !listening(port); i++) await new Promise((r) => setTimeout(r, 25));
  return { proc, port, stderr: () => err };
}

export async function stop(t: Tcpd): Promise<void> {
  t.proc.kill("SIGTERM");
  await new Promise((r) => t.proc.once("exit", r));
}

/** Connects and collects lines; `line()` waits for the next one (undefined at EOF). */
export function client(port: number, host = "127.0.0.1") {
  const sock: Socket = connect(port, host);
  const lines: string[] = [];
  const waiters: ((l: string | undefined) => void)[] = [];
  let buf = "";
  let closed = false;
  sock.on("data", (d) => {
    buf += d;
    for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
      const l = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const w = waiters.shift();
      if (w) w(l);
      else lines.push(l);
    }
  });
  sock.on("error", () => {});
  sock.on("close", () => {
    closed = true;
    for (const w of waiters.splice(0)) w(undefined);
  });
  return {
    sock,
    line: (ms = 5000) =>
      new Promise<string | undefined>((resolve, reject) => {
        if (lines.length) return resolve(lines.shift());
        if (closed) return resolve(undefined);
        const w = (l: string | undefined) => {
          clearTimeout(t);
          resolve(l);
        };
        const t = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error("timeout waiting for a line"));
        }, ms);
        waiters.push(w);
      }),
  };
}
