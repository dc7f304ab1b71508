// Shared launcher for the thin executables in bin/: loads a compiled entry module and
// runs its main(argv). A rejected main prints one line (never a stack trace) and exits 1.
const { join } = require("node:path");
const { existsSync } = require("node:fs");
const { pathToFileURL } = require("node:url");

module.exports = function run(entry) {
  const file = join(__dirname, "..", entry);
  if (!existsSync(file)) {
    process.stderr.write(`${entry} is not built: run "npm run build" first\n`);
    process.exit(1);
  }
  import(pathToFileURL(file).href)
    .then((m) => m.main(process.argv.slice(2)))
    .then((code) => {
      if (typeof code === "number") process.exitCode = code;
    })
    .catch((e) => {
      process.stderr.write(`${require("node:path").basename(process.argv[1])}: ${e?.message ?? e}\n`);
      if (process.env.COURIER_DEBUG_STACK) process.stderr.write(`${e?.stack}\n`);
      process.exit(1);
    });
};
