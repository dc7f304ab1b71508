import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface Proc {
  pid: number;
  cmdline: string;
}

/** The live child processes of `ppid`, read from /proc. */
export function childrenOf(ppid: number): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // The command name may contain spaces and parentheses; fields resume after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) !== ppid || fields[0] === "Z") continue;
      const cmdline = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").join(" ").trim();
      out.push({ pid: Number(name), cmdline });
    } catch {
      // the process exited while we looked
    }
  }
  return out;
}

export async function waitUntil(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Socket inode of the server side of the TCP connection whose client end is `clientPort`. */
function serverSocketInode(clientPort: number): string | undefined {
  const hex = `:${clientPort.toString(16).toUpperCase().padStart(4, "0")}`;
  for (const f of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of readFileSync(f, "utf8").split("\n").slice(1)) {
      const c = line.trim().split(/\s+/);
      // c[1] local, c[2] remote, c[9] inode: the server's end has the client's port as remote.
      if (c[2]?.endsWith(hex) && c[3] === "01") return c[9];
    }
  }
  return undefined;
}

/** The process (among `candidates`) that holds the server end of the client's connection. */
export function connectionOwner(clientPort: number, candidates: Proc[]): Proc | undefined {
  const inode = serverSocketInode(clientPort);
  if (!inode) return undefined;
  return candidates.find((p) => {
    try {
      return readdirSync(`/proc/${p.pid}/fd`).some((fd) => {
        try {
          return readlinkSync(`/proc/${p.pid}/fd/${fd}`) === `socket:[${inode}]`;
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  });
}
