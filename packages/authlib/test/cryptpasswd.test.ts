import assert from "node:assert/strict";
import { test } from "node:test";
import { checkPassword, cryptPasswordLike } from "../src/index.js";

test("cryptPasswordLike: the new hash follows the old one's scheme (spec/userdb.md §8)", async () => {
  const cases: [string | undefined, RegExp][] = [
    [undefined, /^\{SHA512\}/],
    ["$1$abcde$xxxx", /^\$1\$[^$]{8}\$/],
    ["{md5}abc", /^\{MD5\}/],
    ["{MD5RAW}abc", /^\{MD5RAW\}[0-9a-f]{32}$/],
    ["{SHA}abc", /^\{SHA\}/],
    ["{SSHA}abc", /^\{SSHA\}/],
    ["{SHA256}abc", /^\{SHA256\}/],
    ["{SHA512}abc", /^\{SHA512\}/],
    ["", /^\{SSHA\}/],
    ["iDY.OKt0m0Ins", /^\{SSHA\}/],
  ];
  for (const [hint, want] of cases) {
    const h = await cryptPasswordLike("n3w pass", hint);
    assert.match(h, want, String(hint));
    assert.ok(await checkPassword("n3w pass", h), h);
  }
});
