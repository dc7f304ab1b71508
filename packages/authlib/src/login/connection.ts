// What a per-connection worker (imapd, pop3d) knows of its connection before login, from the
// environment couriertcpd sets and its own argv.

import { authdaemonSocket } from "../socketpath.js";

export interface WorkerConnection {
  env: NodeJS.ProcessEnv;
  remoteIp: string;
  remotePort: string;
  localIp: string;
  localPort: string;
  authSocket: string;
  /** AUTHSERVICE<local port>, else the protocol's own service name. */
  authService: string;
  /** Maildir when the account has none: argv, else MAILDIRPATH, else `Maildir` (relative to HOME). */
  defaultMaildir: string;
}

export function workerConnection(
  argv: string[],
  env: NodeJS.ProcessEnv,
  defaults: { port: string; service: string },
): WorkerConnection {
  const localPort = env.TCPLOCALPORT || defaults.port;
  return {
    env,
    remoteIp: env.TCPREMOTEIP || "127.0.0.1",
    remotePort: env.TCPREMOTEPORT || "N/A",
    localIp: env.TCPLOCALIP || "",
    localPort,
    authSocket: authdaemonSocket(env),
    authService: env[`AUTHSERVICE${localPort}`] || defaults.service,
    defaultMaildir: argv.find((a) => !a.startsWith("-")) || env.MAILDIRPATH || "Maildir",
  };
}
