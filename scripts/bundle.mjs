// Bundles each per-connection worker (imapd, pop3d) from its compiled dist/ into one CommonJS
// file, packages/<pkg>/dist/bundle/<name>.cjs, which bin/_run.cjs prefers over dist/: a
// pre-started worker then compiles one file instead of resolving and loading ~120 ES modules
// (~110 -> ~60 ms CPU per start on the bench machine). Runs after `tsc -b` in the package.json
// scripts; `node scripts/bundle.mjs` alone re-bundles.
//
// Lazily imported modules (one per IMAP command) are bundled too: esbuild keeps them lazy
// (evaluated on first import), and V8 only pre-parses the functions it does not run.
// Kept out of the bundle: packages with native code (loaded from node_modules as before), and
// iconv-lite's CJK tables (550 KB of JSON the worker rarely needs: their source would sit in
// every worker's heap), which stay files required from node_modules when a charset needs them.
//
// Next to each bundle, <name>.cjs.inputs.json lists the tsbuildinfo files of the packages it
// holds: bin/_run.cjs ignores a bundle older than any of them, so a `tsc -b` without this step
// never runs stale code.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export const WORKERS = [
  { name: "imapd", pkg: "imapd", entry: "dist/src/cli/imapd.js" },
  { name: "pop3d", pkg: "pop3d", entry: "dist/src/cli/pop3d.js" },
];

/** Packages with native code or files of their own that must load from node_modules. */
const EXTERNAL = /^(koffi|lmdb|msgpackr-extract|@node-rs\/[^/]+)(\/.*)?$/;

/** `./x` from the bundle's directory to `file`. */
const fromBundle = (outDir, file) => `./${relative(outDir, file).split("\\").join("/")}`;

/**
 * What stays outside is required by its path relative to the bundle (the package that
 * imported it may see node_modules the bundle's own package does not): native packages,
 * and iconv-lite's `require("./tables/x.json")`.
 */
function outside(outDir) {
  return {
    name: "outside",
    setup(b) {
      b.onResolve({ filter: EXTERNAL }, async (args) => {
        if (args.pluginData?.outside) return undefined;
        const r = await b.resolve(args.path, {
          resolveDir: args.resolveDir,
          kind: args.kind,
          importer: args.importer,
          pluginData: { outside: true },
        });
        if (r.errors.length) return { errors: r.errors };
        return { path: fromBundle(outDir, r.path), external: true };
      });
      b.onResolve({ filter: /^\.\/tables\/[^/]+\.json$/ }, (args) => {
        if (!/[/\\]iconv-lite[/\\]/.test(args.importer)) return undefined;
        return { path: fromBundle(outDir, join(args.resolveDir, args.path)), external: true };
      });
    },
  };
}

export async function bundle(w) {
  const pkgDir = join(root, "packages", w.pkg);
  const outDir = join(pkgDir, "dist", "bundle");
  const outfile = join(outDir, `${w.name}.cjs`);
  mkdirSync(outDir, { recursive: true });
  const r = await build({
    entryPoints: [join(pkgDir, w.entry)],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    plugins: [outside(outDir)],
    metafile: true,
    logLevel: "warning",
    legalComments: "none",
    banner: { js: `// ${w.name} worker bundled by scripts/bundle.mjs from packages/*/dist: do not edit.` },
  });
  // esbuild writes strings and identifiers in ASCII but keeps comments as they are: one
  // "≥" in a comment makes V8 hold the whole source as a two-byte string (twice the memory
  // in every worker). A \u escape is the same character anywhere it could matter.
  const text = readFileSync(outfile, "utf8");
  const ascii = text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (ascii !== text) writeFileSync(outfile, ascii);
  const built = new Set();
  for (const input of Object.keys(r.metafile.inputs)) {
    const m = /^packages\/([^/]+)\/dist\//.exec(
      relative(root, join(process.cwd(), input)).split("\\").join("/"),
    );
    if (m) built.add(`packages/${m[1]}/dist/tsconfig.tsbuildinfo`);
  }
  writeFileSync(`${outfile}.inputs.json`, `${JSON.stringify([...built].sort())}\n`);
  return { outfile, inputs: Object.keys(r.metafile.inputs).length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const w of WORKERS) {
    try {
      await bundle(w);
    } catch (e) {
      console.error(`bundle: ${w.name}: ${e?.message ?? e}`);
      process.exit(1);
    }
  }
}
