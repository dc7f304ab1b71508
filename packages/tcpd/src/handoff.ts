// The worker's side of the pre-started pool: a worker started by couriertcpd with
// -prespawn waits, already loaded, for a connection handed over on its IPC channel.

import type { Socket } from "node:net";

export const POOL_ENV = "COURIERTCPD_POOL";

export interface Handoff {
  type: "connection";
  /** TCPREMOTEIP, TCPREMOTEPORT, TCPLOCALIP, TCPLOCALPORT and access-file variables. */
  env: Record<string, string>;
}

/** True when this process is an idle pool worker rather than one started for a connection. */
export function startedByPool(): boolean {
  return process.env[POOL_ENV] === "1" && typeof process.send === "function";
}

/**
 * Reports readiness and resolves with the connection once the listener hands one over;
 * its environment is applied to process.env. The IPC channel is closed afterwards, so
 * the worker is then an ordinary one-connection process.
 */
export function awaitConnection(): Promise<Socket> {
  return new Promise((resolve) => {
    const onMessage = (msg: Handoff, handle: unknown) => {
      if (msg?.type !== "connection" || !handle) return;
      process.off("message", onMessage);
      delete process.env[POOL_ENV];
      Object.assign(process.env, msg.env);
      process.disconnect?.();
      resolve(handle as Socket);
    };
    process.on("message", onMessage);
    // If the listener goes away before handing anything over, there is nothing to serve.
    process.once("disconnect", () => {
      if (process.env[POOL_ENV] === "1") process.exit(0);
    });
    process.send!({ type: "ready" });
  });
}
