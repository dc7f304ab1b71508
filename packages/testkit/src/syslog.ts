// A syslog daemon stand-in for tests: python3 binds an AF_UNIX SOCK_DGRAM socket (Node's
// dgram cannot) and prints each datagram as hex on a line; we collect them.

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const SCRIPT = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("ready", flush=True)
while True:
    print(s.recv(65536).hex(), flush=True)
`;

export interface Receiver {
  path: string;
  /** Datagrams received so far, as latin1 strings (bytes kept one-to-one). */
  messages: string[];
  waitFor(count: number, ms?: number): Promise<string[]>;
  close(): void;
}

export async function syslogReceiver(): Promise<Receiver> {
  const path = join(mkdtempSync(join(tmpdir(), "syslog-test-")), "log");
  const py: ChildProcess = spawn("python3", ["-c", SCRIPT, path], { stdio: ["ignore", "pipe", "inherit"] });
  const messages: string[] = [];
  let buf = "";
  py.stdout!.on("data", (d) => {
    buf += d;
    for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      if (line !== "ready") messages.push(Buffer.from(line, "hex").toString("latin1"));
    }
  });
  for (let i = 0; i < 200 && !existsSync(path); i++) await sleep(20);
  return {
    path,
    messages,
    async waitFor(count, ms = 5000) {
      for (let t = 0; t < ms && messages.length < count; t += 20) await sleep(20);
      return messages;
    },
    close: () => py.kill(),
  };
}

/** `<PRI>Mmm dd hh:mm:ss ` → `<PRI>`, so that messages compare exactly. */
export const withoutTime = (m: string) => m.replace(/^(<\d+>)[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /, "$1");

/** A datagram as rsyslog writes it to mail.log: `Mmm dd hh:mm:ss host ident: text`. */
export function asLogFileLine(datagram: string, host: string): string {
  const m = /^<\d+>([A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (.*)$/s.exec(datagram);
  return m ? `${m[1]} ${host} ${m[2]}` : datagram;
}
