// ENVELOPE / BODYSTRUCTURE / BODY and BODY[section] compared byte for byte with what
// Dovecot 2.3.19 sent for the same fixtures (expected.json and sections.json were
// produced by make-expected.mjs and dovecot-oracle.sh).

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  parseMessageBuffer,
  parseSection,
  renderBodyStructure,
  renderEnvelope,
  resolveSection,
} from "../src/index.js";
import { expected, fixture, fixtureNames, toWire } from "./fixtures.js";

const items =
  expected<Record<string, Record<"ENVELOPE" | "BODYSTRUCTURE" | "BODY", string>>>("expected.json");
const sections = expected<Record<string, Record<string, string>>>("sections.json");

test("every fixture has Dovecot's expected output", () => {
  assert.deepEqual(Object.keys(items).sort(), fixtureNames());
});

for (const name of fixtureNames()) {
  test(`ENVELOPE, BODYSTRUCTURE and BODY of ${name} match Dovecot`, () => {
    const s = parseMessageBuffer(fixture(name));
    const e = items[name];
    assert.equal(renderEnvelope(s.root.envelope), e.ENVELOPE);
    assert.equal(renderBodyStructure(s.root, { extended: true }), e.BODYSTRUCTURE);
    assert.equal(renderBodyStructure(s.root, { extended: false }), e.BODY);
  });
}

for (const [name, specs] of Object.entries(sections)) {
  test(`BODY[section] of ${name} match Dovecot`, () => {
    const msg = fixture(name);
    const wire = toWire(msg);
    const s = parseMessageBuffer(msg);
    assert.equal(s.size, wire.length);
    for (const [spec, want] of Object.entries(specs)) {
      const parsed = parseSection(spec);
      assert.ok(parsed, spec);
      const d = resolveSection(s, parsed);
      assert.notEqual(d.kind, "filter");
      const got = d.kind === "range" ? wire.subarray(d.start, d.end) : d.kind === "bytes" ? d.bytes : null;
      assert.equal(got?.toString("latin1"), want, `BODY[${spec}]`);
    }
  });
}
