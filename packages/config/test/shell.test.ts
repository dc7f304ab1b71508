import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { atoi, ConfigError, intSetting, loadConfigFiles, onIfYes, parseShellConfig } from "../src/index.js";

function parse(text: string, vars = new Map<string, string>()) {
  return { parsed: parseShellConfig(text, "imapd", vars), vars };
}

test("assignments with every quoting style and expansion from earlier lines", () => {
  const { vars } = parse(
    [
      "##VERSION: $Id: abc$",
      "##NAME: IMAP_CAPABILITY:1",
      "#",
      "# description",
      "",
      'IMAP_CAPABILITY="IMAP4rev1 UIDPLUS CHILDREN"',
      'IMAP_CAPABILITY_TLS="$IMAP_CAPABILITY AUTH=PLAIN"',
      "A='literal $IMAP_CAPABILITY'",
      "B=${A}x",
      "C=a\\ b   # trailing comment",
      "D=pre\"mid dle\"'post'",
      "E=",
      "export F=1",
      "export F",
      'G="two',
      'lines"',
      "H=\\$notvar",
    ].join("\n"),
  );
  assert.equal(vars.get("IMAP_CAPABILITY_TLS"), "IMAP4rev1 UIDPLUS CHILDREN AUTH=PLAIN");
  assert.equal(vars.get("A"), "literal $IMAP_CAPABILITY");
  assert.equal(vars.get("B"), "literal $IMAP_CAPABILITYx");
  assert.equal(vars.get("C"), "a b");
  assert.equal(vars.get("D"), "premid dlepost");
  assert.equal(vars.get("E"), "");
  assert.equal(vars.get("F"), "1");
  assert.equal(vars.get("G"), "two\nlines");
  assert.equal(vars.get("H"), "$notvar");
});

test("##VERSION and ##NAME blocks are recorded with each assignment", () => {
  const { parsed } = parse("##VERSION: v1\n##NAME: TLS_CACHE : 1\n#\nTLS_CACHEFILE=/x\nTLS_CACHESIZE=5\n");
  assert.equal(parsed.version, "v1");
  assert.deepEqual(parsed.assignments[1].block, { label: "TLS_CACHE", revision: "1" });
  assert.equal(parsed.assignments[1].line, 5);
});

test("errors name the file, the line and the variable", () => {
  const cases: [string, number, string | undefined, RegExp][] = [
    ["A=1\nB=two words\n", 2, "B", /unexpected text/],
    ["A=1\n\nrm -rf /\n", 3, undefined, /not a NAME=value/],
    ['A=1\nB="open\n', 3, "B", /unterminated double quote/],
    ["A=`date`\n", 1, "A", /not supported/],
    ["A=$(date)\n", 1, "A", /only \$NAME/],
  ];
  for (const [text, line, variable, msg] of cases) {
    assert.throws(
      () => parseShellConfig(text, "/etc/courier/imapd", new Map()),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.equal(e.line, line, text);
        assert.equal(e.variable, variable, text);
        assert.match(e.message, msg);
        assert.ok(e.message.startsWith(`/etc/courier/imapd:${line}:`));
        return true;
      },
    );
  }
});

test("files load in order, later files win, origins are remembered", () => {
  const dir = mkdtempSync(join(tmpdir(), "cfg-"));
  writeFileSync(join(dir, "imapd-ssl"), "TLS_PROTOCOL=TLS1_2\nX=ssl\n");
  writeFileSync(join(dir, "imapd"), 'X=plain\nY="$TLS_PROTOCOL+"\nMAXDAEMONS=lots\n');
  const cfg = loadConfigFiles([join(dir, "imapd-ssl"), join(dir, "imapd")]);
  assert.equal(cfg.get("X"), "plain");
  assert.equal(cfg.get("Y"), "TLS1_2+");
  assert.match(cfg.error("MAXDAEMONS", "not a number").message, /imapd:3: MAXDAEMONS: not a number$/);
  assert.throws(() => loadConfigFiles([join(dir, "missing")]), /missing:0: cannot read: ENOENT/);
});

test("value readers follow Courier's rules", () => {
  assert.equal(atoi(" 12abc"), 12);
  assert.equal(atoi("abc"), 0);
  assert.equal(intSetting({}, "IMAP_IDLE_TIMEOUT", 60), 60);
  assert.equal(intSetting({ IMAP_IDLE_TIMEOUT: "30" }, "IMAP_IDLE_TIMEOUT", 60), 30);
  assert.equal(onIfYes({ IMAP_STARTTLS: "YES" }, "IMAP_STARTTLS"), true);
  assert.equal(onIfYes({ IMAP_STARTTLS: "NO" }, "IMAP_STARTTLS"), false);
});
