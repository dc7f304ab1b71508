// Reading a value or password from stdin for userdbpw and `userdb … set field`.

const MAX_INPUT = 8191;

// Bytes read past the last returned line, and whether stdin has ended: `userdb … set a b`
// reads one line per field from the same pipe.
let pending = Buffer.alloc(0);
let ended = false;

/** One line from stdin (without the newline); undefined on EOF before any character. */
export function readLine(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    const take = (): boolean => {
      const nl = pending.indexOf(10);
      if (nl < 0 && !ended) return false;
      const end = nl < 0 ? pending.length : nl;
      const line = pending.subarray(0, Math.min(end, MAX_INPUT)).toString("utf8");
      const empty = nl < 0 && pending.length === 0;
      pending = pending.subarray(nl < 0 ? pending.length : nl + 1);
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.pause();
      resolve(empty ? undefined : line);
      return true;
    };
    const onData = (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      take();
    };
    const onEnd = () => {
      ended = true;
      take();
    };
    if (take()) return;
    stdin.on("data", onData);
    stdin.on("end", onEnd);
    stdin.resume();
  });
}

/** Prompts on stderr and reads one line from the terminal without echo; undefined on ^C/^D. */
export function readHidden(prompt: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    let value = "";
    const finish = (v: string | undefined) => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      resolve(v);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") return finish(value);
        if (ch === "\x03" || (ch === "\x04" && value === "")) return finish(undefined);
        if (ch === "\x7f" || ch === "\b") value = value.slice(0, -1);
        else if (ch === "\x15") value = "";
        else if (ch >= " ") value += ch;
      }
    };
    stdin.on("data", onData);
    stdin.resume();
  });
}

/** Asks twice on a terminal until both entries agree; reads one line otherwise. */
export async function readNewPassword(): Promise<string | undefined> {
  if (!process.stdin.isTTY) return readLine();
  for (;;) {
    const a = await readHidden("Password: ");
    if (a === undefined) return undefined;
    const b = await readHidden("Reenter password: ");
    if (b === undefined) return undefined;
    if (a === b) return a;
    process.stderr.write("Passwords don't match.\n\n"); // Courier's blank line too
  }
}
