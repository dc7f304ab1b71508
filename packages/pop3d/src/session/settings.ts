// Everything the worker takes from its environment and argv, read once at start.

import { loginFailDelayMs, type WorkerConnection, workerConnection } from "@courier-imap/authlib/login";

export interface Settings extends WorkerConnection {
  loginFailDelayMs: number;
  /** Courier's alarm over the whole login phase. */
  preauthTimeoutMs: number;
  /** Courier's alarm(300) per command after login. */
  idleTimeoutMs: number;
  logDeletions: boolean;
}

export function readSettings(argv: string[], env: NodeJS.ProcessEnv = process.env): Settings {
  return {
    ...workerConnection(argv, env, { port: "110", service: "pop3" }),
    loginFailDelayMs: loginFailDelayMs(env.POP3_LOGIN_FAIL_DELAY),
    preauthTimeoutMs: 60_000,
    idleTimeoutMs: 300_000,
    logDeletions: !!env.POP3_LOG_DELETIONS && !env.POP3_LOG_DELETIONS.startsWith("0"),
  };
}
