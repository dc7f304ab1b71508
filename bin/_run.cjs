// Shared launcher for the thin executables in bin/: loads a compiled entry module and
// runs its main(argv). A rejected main prints one line (never a stack trace) and exits 1.
// A worker may also name its single-file bundle (scripts/bundle.mjs), used instead of the
// entry when it exists and is not older than the builds of the packages it holds.
const { join, basename } = require("node:path");
const { existsSync, readFileSync, statSync } = require("node:fs");

const root = join(__dirname, "..");

/** The bundle's path when it is there and current, else undefined. */
function currentBundle(bundle) {
  const file = join(root, bundle);
  let mtime;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  try {
    for (const input of JSON.parse(readFileSync(`${file}.inputs.json`, "utf8"))) {
      // an installed tree has no tsbuildinfo files: nothing to be stale against
      const built = statSync(join(root, input), { throwIfNoEntry: false });
      if (built && built.mtimeMs > mtime) return undefined;
    }
  } catch {
    return undefined;
  }
  return file;
}

function fail(e) {
  process.stderr.write(`${basename(process.argv[1])}: ${e?.message ?? e}\n`);
  if (process.env.COURIER_DEBUG_STACK) process.stderr.write(`${e?.stack}\n`);
  process.exit(1);
}

module.exports = function run(entry, bundle) {
  const bundled = bundle && process.env.COURIER_NO_BUNDLE !== "1" ? currentBundle(bundle) : undefined;
  let load;
  if (bundled) {
    load = () => require(bundled);
  } else {
    const file = join(root, entry);
    if (!existsSync(file)) {
      process.stderr.write(`${entry} is not built: run "npm run build" first\n`);
      process.exit(1);
    }
    load = () => import(require("node:url").pathToFileURL(file).href);
  }
  Promise.resolve()
    .then(load)
    .then((m) => m.main(process.argv.slice(2)))
    .then((code) => {
      if (typeof code === "number") process.exitCode = code;
    })
    .catch(fail);
};

module.exports.currentBundle = currentBundle;
