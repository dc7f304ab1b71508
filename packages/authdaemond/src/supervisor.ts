// The authdaemond parent: creates the socket directory, starts `daemons` children (node:cluster
// with SCHED_NONE, so the children accept on one shared listening socket and the parent never
// accepts), replaces a child that dies, restarts them all with re-read authmodulelist/daemons
// on SIGHUP (authmodulelist, daemons, DEBUG_LOGIN, DEFAULTOPTIONS …), and stops them on
// SIGTERM/SIGINT. Old children finish the requests they are serving before they exit. The socket is bound as socket.tmp, made
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
  /** Where log lines go instead of stderr (daemon mode); the children's output is piped there too. */
  logSink?: (line: string) => void;
  /** Called once the first children listen on the socket. */
  onReady?: () => void;
}

/** Forwards a child's output, line by line, to the sink. */
function pipeLines(stream: NodeJS.ReadableStream | null | undefined, sink: (line: string) => void): void {
  let rest = "";
  stream?.on("data", (d: Buffer) => {
    const lines = (rest + d.toString("utf8")).split("\n");
    rest = lines.pop() ?? "";
    for (const l of lines) sink(`${l}\n`);
  });
}

/** Runs the daemon until SIGTERM/SIGINT; resolves with the exit code. */
export async function runSupervisor(opts: SupervisorOptions): Promise<number> {
  const env = opts.env ?? process.env;
  const warnings: string[] = [];
  let settings: Settings = loadSettings(opts.configFile, env, warnings);
  const write = opts.logSink;
  let log = new Logger(settings.debugLogin, write);
  for (const w of warnings) log.err(w);

  const sock = socketPath(settings);
  const tmp = `${sock}.tmp`;
  prepareSocketDir(settings.authdaemonvar);
  rmSync(tmp, { force: true });

  cluster.schedulingPolicy = cluster.SCHED_NONE;
  cluster.setupPrimary({
    exec: fileURLToPath(new URL("./worker.js", import.meta.url)),
    args: [],
    silent: write !== undefined,
  });

  let generation = 0;
  let stopping = false;
  const gen = new Map<Worker, { generation: number; started: number }>();

  /** Starts a child; resolves once it listens (or has exited). */
  const fork = () => {
    const w = cluster.fork({ [SETTINGS_ENV]: JSON.stringify(settings), [LISTEN_PATH_ENV]: tmp });
    gen.set(w, { generation, started: Date.now() });
    if (write) {
      pipeLines(w.process.stdout, write);
      pipeLines(w.process.stderr, write);
    }
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
      // Everything but the socket directory; the environment still wins where it did.
      settings = { ...loadSettings(opts.configFile, env), authdaemonvar: settings.authdaemonvar };
      log = new Logger(settings.debugLogin, write);
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
  opts.onReady?.();

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
