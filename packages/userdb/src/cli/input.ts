// Reading a value or password from stdin for userdbpw and `userdb … set field`.

const MAX_INPUT = 8191;

/** One line from stdin (without the newline); undefined on EOF before any character. */
export function readLine(): Promise<string | undefined> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    let buf = Buffer.alloc(0);
    const finish = (value: string | undefined) => {
      stdin.off("data", onData);
      stdin.off("end", onEnd);
      stdin.pause();
      resolve(value);
    };
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const nl = buf.indexOf(10);
      if (nl >= 0) finish(buf.subarray(0, Math.min(nl, MAX_INPUT)).toString("utf8"));
    };
    const onEnd = () => finish(buf.length ? buf.subarray(0, MAX_INPUT).toString("utf8") : undefined);
    stdin.on("data", onData);
    stdin.on("end", onEnd);
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
    process.stderr.write("Passwords don't match.\n");
  }
}
