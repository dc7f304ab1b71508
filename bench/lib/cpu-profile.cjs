// Preloaded into our imapd/pop3d workers by `npm run bench -- --profile DIR` (through
// NODE_OPTIONS=--require, since Node 20 refuses --cpu-prof there): records a V8 CPU profile
// and writes it to $BENCH_CPU_PROFILE_DIR/<program>-<pid>.cpuprofile when the worker exits.
// Other processes that inherit NODE_OPTIONS (couriertcpd, authdaemond) are left alone.
const { basename, join } = require("node:path");
const program = basename(process.argv[1] ?? "");
const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir && (program === "imapd" || program === "pop3d")) {
  const { Session } = require("node:inspector");
  const { writeFileSync } = require("node:fs");
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 200 });
  session.post("Profiler.start");
  process.on("exit", () => {
    // An in-process inspector session answers synchronously, so this runs before exit.
    session.post("Profiler.stop", (err, r) => {
      if (err || !r) return;
      try {
        writeFileSync(join(dir, `${program}-${process.pid}.cpuprofile`), JSON.stringify(r.profile));
      } catch {}
    });
  });
}
