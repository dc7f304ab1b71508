// install-configure (sysconftool) across an upgrade that adds, removes and re-revisions settings.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { mergeConf, parseConf } from "../src/sysconftool.js";

const BIN = join(import.meta.dirname, "..", "..", "..", "..", "bin", "sysconftool");

const V1 = `# app settings
##VERSION: $Id: 1111-20200101000000$
#
##NAME: A:0
#
# setting A description (old text)

A=default_a

##NAME: B:0
#
# B as it was

B=old_default

##NAME: C:0
#
# C is dropped in version 2

C=c
`;

const V2 = `# app settings
##VERSION: $Id: 2222-20240101000000$
#
##NAME: A:0
#
# setting A description (new text)

A=default_a

##NAME: B:1
#
# B means something else now

B=new_default

##NAME: D:0
#
# D is new

D=d
`;

test("the spec's example: an unchanged setting keeps the old value after the commented default", () => {
  const old = V1.replace("A=default_a", "A=custom_a");
  const { text, report } = mergeConf(V2, old, "app.dist");
  assert.deepEqual(report, [
    { name: "A", status: "unchanged" },
    { name: "B", status: "UPDATED" },
    { name: "D", status: "new" },
  ]);
  const a = text.slice(text.indexOf("##NAME: A:0"), text.indexOf("##NAME: B:1"));
  assert.equal(
    a,
    [
      "##NAME: A:0",
      "#",
      "# setting A description (new text)",
      "#",
      "# DEFAULT SETTING from app.dist:",
      "#",
      "#A=default_a",
      "#",
      "",
      "A=custom_a",
      "",
      "",
    ].join("\n"),
  );
  const b = text.slice(text.indexOf("##NAME: B:1"), text.indexOf("##NAME: D:0"));
  assert.equal(
    b,
    [
      "##NAME: B:1",
      "#",
      "# B means something else now",
      "#",
      "# Previous setting (inserted by sysconftool):",
      "#",
      "# ",
      "# B=old_default",
      "# ",
      "#",
      "",
      "B=new_default",
      "",
      "",
    ].join("\n"),
  );
  assert.ok(!text.includes("C=c"), "a setting the new .dist lacks is dropped");
  assert.match(text, /^##NAME: D:0\n#\n# D is new\n\nD=d\n$/m);
  assert.ok(text.startsWith("# app settings\n##VERSION: $Id: 2222-20240101000000$\n"));
});

test("values: the first run of non-comment lines; an admin's comment after it ends it", () => {
  const p = parseConf("##VERSION: x\n##NAME: X:0\n# d\nX=1\nY=2\n# admin note\nZ=3\n");
  assert.deepEqual(
    p.blocks[0].lines.slice(p.blocks[0].valueStart, p.blocks[0].valueStart + p.blocks[0].valueLength),
    ["X=1", "Y=2"],
  );
  assert.deepEqual(parseConf("##VERSION: x\n## NAME : a b : 3\n").blocks, []);
  assert.equal(parseConf("##VERSION: x\n##NAME: a b :3\n").blocks[0].name, "ab");
});

test("bin/sysconftool: fresh install, upgrade with .bak, idempotent, legacy file, missing header", () => {
  const dir = mkdtempSync(join(tmpdir(), "sysconftool-test-"));
  const dist = join(dir, "app.dist");
  const live = join(dir, "app");
  const run = (...a: string[]) => spawnSync(BIN, [...a], { encoding: "utf8" });

  writeFileSync(dist, V1, { mode: 0o640 });
  let r = run(dist);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "app:\n  A: new\n  B: new\n  C: new\n");
  assert.equal(readFileSync(live, "utf8"), V1);
  assert.equal(statSync(live).mode & 0o777, 0o640, "mode copied from the .dist");

  writeFileSync(live, V1.replace("A=default_a", "A=site_value").replace("C=c", "C=site_c"));
  writeFileSync(dist, V2);
  assert.equal(run("-n", dist).stdout, "app:\n  A: unchanged\n  B: UPDATED\n  D: new\n");
  assert.ok(readFileSync(live, "utf8").includes("##VERSION: $Id: 1111"), "-n writes nothing");
  r = run(dist);
  assert.equal(r.status, 0);
  const merged = readFileSync(live, "utf8");
  assert.match(merged, /\nA=site_value\n/);
  assert.match(merged, /\n# B=old_default\n# \n#\n\nB=new_default\n/);
  assert.ok(!merged.includes("site_c"));
  assert.match(readFileSync(`${live}.bak`, "utf8"), /A=site_value/);

  r = run(dist);
  assert.equal(r.stdout, "", "same ##VERSION: nothing to do");
  assert.equal(readFileSync(live, "utf8"), merged);
  assert.match(run("-f", dist).stdout, /A: unchanged/);

  writeFileSync(live, "A=legacy\n");
  assert.equal(run(dist).stdout, "app:\n  A: new\n  B: new\n  D: new\n");
  assert.equal(readFileSync(`${live}.bak`, "utf8"), "A=legacy\n");

  writeFileSync(join(dir, "bad.dist"), "A=1\n");
  r = run(join(dir, "bad.dist"));
  assert.equal(r.status, 9);
  assert.match(r.stderr, /bad\.dist: configuration header not found\./);
  assert.ok(!existsSync(join(dir, "bad")));
});
