// Reading a password: on a terminal with echo off (twice, until both match), else one line
// from standard input. undefined at end of input.

import { createInterface } from "node:readline";

function readLine(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, terminal: false });
    let got: string | undefined;
    rl.once("line", (l) => {
      got = l;
      rl.close();
    });
    rl.once("close", () => resolve(got));
  });
}

function readHidden(prompt: string): Promise<string | undefined> {
  process.stderr.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve) => {
    let s = "";
    const done = (v: string | undefined) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      resolve(v);
    };
    const onData = (d: Buffer) => {
      for (const ch of d.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return done(s);
        if (ch === "\u0003" || ch === "\u0004") return done(undefined);
        if (ch === "\u007f" || ch === "\b") s = s.slice(0, -1);
        else s += ch;
      }
    };
    stdin.on("data", onData);
  });
}

export async function readNewPassword(): Promise<string | undefined> {
  if (!process.stdin.isTTY) return readLine();
  for (;;) {
    const a = await readHidden("Password: ");
    if (a === undefined) return undefined;
    const b = await readHidden("Reenter password: ");
    if (b === undefined) return undefined;
    if (a === b) return a;
    process.stderr.write("Passwords don't match.\n");
  }
}
