import { readFileSync } from "node:fs";
import { createServer } from "node:net";

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
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

/** A base B such that B+143, B+110, B+993 and B+995 are all free (the demo's port layout). */
export async function freePortBase(): Promise<number> {
  for (;;) {
    const base = 20000 + Math.floor(Math.random() * 40000);
    const ports = [143, 110, 993, 995].map((p) => base + p);
    if (ports.every((p) => !listening(p))) return base;
  }
}
