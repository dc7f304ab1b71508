import assert from "node:assert/strict";
import { test } from "node:test";
import { baseName, flagByName, nameWithFlags, parseFlags } from "../src/index.js";

test("flags parse from the :2, suffix and rebuild in D F R S T order", () => {
  assert.deepEqual(parseFlags("123.M1P2.host:2,TSRFD"), [
    "\\Draft",
    "\\Flagged",
    "\\Answered",
    "\\Seen",
    "\\Deleted",
  ]);
  assert.deepEqual(parseFlags("123.M1P2.host:2,"), []);
  assert.deepEqual(parseFlags("123.M1P2.host"), []);
  assert.deepEqual(parseFlags("123.M1P2.host:1,S"), []);
  assert.equal(nameWithFlags("1.M1P2.h,S=5:2,SaP", ["\\Seen", "\\Answered"]), "1.M1P2.h,S=5:2,RS");
  assert.equal(nameWithFlags("1.M1P2.h", ["\\Deleted", "\\Draft"]), "1.M1P2.h:2,DT");
  assert.equal(baseName("a:b:2,S"), "a:b");
  assert.equal(flagByName("\\SEEN"), "\\Seen");
  assert.equal(flagByName("\\Recent"), undefined);
});
