// Serves one connection: exactly one request, then the reply, then close. Each read must
// arrive within 10 s and the whole exchange within 30 s; malformed requests are dropped
// without a reply (spec/authdaemon-protocol.md §3).

import type { Socket } from "node:net";
import { ProtocolError, type Request, RequestReader } from "@courier-imap/authlib";
import type { Logger } from "./log.js";

export const READ_TIMEOUT_MS = 10_000;
export const DEADLINE_MS = 30_000;

export function serveConnection(
  sock: Socket,
  handle: (req: Request) => Promise<string | null>,
  log: Logger,
  timeouts = { read: READ_TIMEOUT_MS, deadline: DEADLINE_MS },
): void {
  const reader = new RequestReader();
  const deadline = setTimeout(() => sock.destroy(), timeouts.deadline);
  sock.setTimeout(timeouts.read, () => sock.destroy());
  sock.on("close", () => clearTimeout(deadline));
  sock.on("error", () => sock.destroy());

  const onData = (chunk: Buffer) => {
    let req: Request | undefined;
    try {
      req = reader.push(chunk);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      log.debug(`dropping connection: ${e.message}`);
      sock.destroy();
      return;
    }
    if (!req) return;
    sock.off("data", onData);
    sock.pause();
    sock.setTimeout(0);
    handle(req).then(
      (reply) => (reply === null ? sock.end() : sock.end(reply)),
      (e) => {
        log.err(`request failed: ${(e as Error).message}`);
        sock.destroy();
      },
    );
  };
  sock.on("data", onData);
  sock.on("end", () => {
    if (sock.listenerCount("data")) sock.destroy();
  });
}
