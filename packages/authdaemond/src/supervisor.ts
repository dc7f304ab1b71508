// The authdaemond parent: creates the socket directory, starts `daemons` children (node:cluster
// with SCHED_NONE, so the children accept on one shared listening socket and the parent never
// accepts), replaces a child that dies, restarts them all with re-read authmodulelist/daemons
// on SIGHUP, and stops them on SIGTERM/SIGINT. The socket is bound as socket.tmp, made
// mode 0777 and renamed over socket (spec/authdaemon-protocol.md §2, §9).

import cluster, { type Worker } from "node:cluster";
import { chmodSync, lstatSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LISTEN_PATH_ENV, SETTINGS_ENV } from "./childenv.js";
import { Logger } from "./log.js";
import { reportModules } from "./modules/registry.js";
import { loadSettings, type Settings, socketPath } from "./settings.js";

const STOP_GRACE_MS = 8000;
const RESPAWN_DELAY_MS = 1000;

function prepareSocketDir(dir: string): void {
  try {
    lstatSync(dir);
  } catch {
    mkdirSync(dir, { recursive: true, mode: 0o750 });
    chmodSync(dir, 0o750);
  }
}

export interface SupervisorOptions {
  configFile: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs the daemon until SIGTERM/SIGINT; resolves with the exit code. */
export async function runSupervisor(opts: SupervisorOptions): Promise<number> {
  const env = opts.env ?? process.env;
  const warnings: string[] = [];
  let settings: Settings = loadSettings(opts.configFile, env, warnings);
  const log = new Logger(settings.debugLogin);
  for (const w of warnings) log.err(w);

  const sock = socketPath(settings);
  const tmp = `${sock}.tmp`;
  prepareSocketDir(settings.authdaemonvar);
  rmSync(tmp, { force: true });

  cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({ exec: fileURLToPath(new URL("./worker.js", import.meta.url)), args: [] });

  let generation = 0;
  let stopping = false;
  const gen = new Map<Worker, { generation: number; started: number }>();

  /** Starts a child; resolves once it listens (or has exited). */
  const fork = () => {
    const w = cluster.fork({ [SETTINGS_ENV]: JSON.stringify(settings), [LISTEN_PATH_ENV]: tmp });
    gen.set(w, { generation, started: Date.now() });
    return new Promise<void>((resolve) => {
      w.once("listening", () => resolve());
      w.once("exit", () => resolve());
    });
  };
  const startAll = async () => {
    log.info(`modules="${settings.modules.join(" ")}", daemons=${settings.daemons}`);
    await reportModules(settings.modules, log);
    await Promise.all(Array.from({ length: settings.daemons }, fork));
  };

  // The first child to listen makes the socket bind; publish it atomically.
  cluster.on("listening", () => {
    try {
      if (!lstatSync(tmp).isSocket()) return;
    } catch {
      return;
    }
    chmodSync(tmp, 0o777);
    renameSync(tmp, sock);
  });

  cluster.on("exit", (w, code, signal) => {
    const info = gen.get(w);
    gen.delete(w);
    if (stopping || !info || info.generation !== generation) return;
    log.err(`child process ${w.process.pid} exited (${signal ?? `status ${code}`}), starting a new one`);
    const quick = Date.now() - info.started < 2000;
    setTimeout(() => !stopping && info.generation === generation && fork(), quick ? RESPAWN_DELAY_MS : 0);
  });

  process.on("SIGHUP", () => {
    if (stopping) return;
    try {
      const fresh = loadSettings(opts.configFile, env);
      settings = { ...settings, modules: fresh.modules, daemons: fresh.daemons };
    } catch (e) {
      log.err(`${(e as Error).message} - keeping the old configuration`);
      return;
    }
    log.info("stopping authdaemond children");
    const old = [...gen.keys()];
    generation++;
    log.info("restarting authdaemond children");
    // Old children leave only once the new ones listen: the shared socket stays open throughout.
    void startAll().then(() => {
      for (const w of old) w.disconnect();
    });
  });

  await startAll();

  return new Promise((resolve) => {
    const stop = () => {
      if (stopping) return;
      stopping = true;
      log.info("stopping authdaemond");
      const workers = [...gen.keys()];
      if (!workers.length) resolve(0);
      const kill = setTimeout(() => {
        for (const w of workers) w.process.kill("SIGKILL");
      }, STOP_GRACE_MS);
      let left = workers.length;
      for (const w of workers) {
        w.once("exit", () => {
          if (--left === 0) {
            clearTimeout(kill);
            resolve(0);
          }
        });
        w.disconnect();
      }
    };
    process.on("SIGTERM", stop);
    process.on("SIGINT", stop);
  });
}
