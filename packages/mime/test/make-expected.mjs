// Regenerates fixtures/expected.json from a real Dovecot: node make-expected.mjs
// (needs dovecot-imapd installed and root; see dovecot-oracle.sh).
import { execFileSync } from "node:child_process";
import { readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, "fixtures");
const out = {};
for (const name of readdirSync(fixtures)
  .filter((f) => f.endsWith(".eml"))
  .sort()) {
  out[name] = {};
  for (const item of ["ENVELOPE", "BODYSTRUCTURE", "BODY"]) {
    const raw = execFileSync(join(here, "dovecot-oracle.sh"), [join(fixtures, name), item]).toString(
      "latin1",
    );
    const at = raw.indexOf(`${item} `);
    // "* 1 FETCH (FLAGS (...) ITEM value)\r\n"
    out[name][item] = raw.slice(at + item.length + 1, raw.lastIndexOf(")"));
  }
}
writeFileSync(join(fixtures, "expected.json"), `${JSON.stringify(out, null, 1)}\n`);
