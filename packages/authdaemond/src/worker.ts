// A child process of authdaemond (a node:cluster worker): loads the modules and accepts
// connections on the socket the supervisor shares with every child.

import cluster from "node:cluster";
import { createServer } from "node:net";
import { handleRequest } from "./chain.js";
import { LISTEN_PATH_ENV, SETTINGS_ENV } from "./childenv.js";
import { DEADLINE_MS, serveConnection } from "./connection.js";
import { Logger } from "./log.js";
import { loadModules } from "./modules/registry.js";
import type { Settings } from "./settings.js";

const IDLE_MS = 300_000;

async function runWorker(): Promise<void> {
  const settings = JSON.parse(process.env[SETTINGS_ENV] ?? "") as Settings;
  const listenPath = process.env[LISTEN_PATH_ENV] ?? "";
  const log = new Logger(settings.debugLogin);
  // The supervisor handles HUP/INT (the terminal sends INT to the whole process group).
  process.on("SIGHUP", () => {});
  process.on("SIGINT", () => {});
  const modules = await loadModules(settings, log);
  const ctx = { modules, defaultOptions: settings.defaultOptions, log };

  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      for (const m of modules) m.idle?.();
    }, IDLE_MS).unref();
  };
  let active = 0;
  let leaving = false;
  const finish = () => {
    void Promise.all(modules.map((m) => m.close?.())).finally(() => process.exit(0));
  };
  const server = createServer({ allowHalfOpen: true }, (sock) => {
    armIdle();
    active++;
    sock.once("close", () => {
      if (--active === 0 && leaving) finish();
    });
    serveConnection(sock, (req) => handleRequest(req, ctx), log);
  });
  server.on("error", (e) => {
    log.err(`cannot listen on ${listenPath}: ${e.message}`);
    process.exit(1);
  });
  server.listen(listenPath);
  armIdle();
  // Disconnected by the supervisor (stop or SIGHUP): stop accepting, answer the requests in
  // flight (each is bounded by the connection deadline), then exit.
  process.on("disconnect", () => {
    leaving = true;
    setTimeout(() => process.exit(0), DEADLINE_MS + 2000).unref();
    server.close();
    if (active === 0) finish();
  });
}

if (cluster.isWorker) {
  runWorker().catch((e) => {
    process.stderr.write(`ERR: authdaemond child: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
