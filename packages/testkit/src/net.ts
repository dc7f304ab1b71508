import { readFileSync } from "node:fs";
import { createServer } from "node:net";

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/**
 * A TCP port free on 127.0.0.1 right now, picked at random: ports handed out by bind(0)
 * come in sequence, so test files asking at the same moment could be given the same one.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    if (!listening(port) && (await canBind(port))) return port;
  }
}

/**
 * Whether something listens on `port`, read from the kernel's socket table: probing with
 * a connection would make couriertcpd start a worker.
 */
export function listening(port: number): boolean {
  const hex = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  return ["/proc/net/tcp", "/proc/net/tcp6"].some((f) => {
    try {
      return readFileSync(f, "utf8")
        .split("\n")
        .some((l) => {
          const c = l.trim().split(/\s+/);
          return c[1]?.endsWith(hex) && c[3] === "0A";
        });
    } catch {
      return false;
    }
  });
}
