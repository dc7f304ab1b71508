import { freePort, listening } from "@courier-imap/testkit";

export { freePort, listening };

/** A base B such that B+143, B+110, B+993 and B+995 are all free (the demo's port layout). */
export async function freePortBase(): Promise<number> {
  for (;;) {
    const base = 20000 + Math.floor(Math.random() * 40000);
    const ports = [143, 110, 993, 995].map((p) => base + p);
    if (ports.every((p) => !listening(p))) return base;
  }
}
