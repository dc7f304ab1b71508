// Tests that need slapd skip with the reason on a developer machine and fail on CI.

import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import { slapdMissing } from "./slapd.js";

export const MISSING = slapdMissing();

type Body = (t: TestContext) => Promise<void> | void;

/** A test that needs slapd (and openssl). */
export function ldapTest(name: string, fn: Body): void {
  if (!MISSING) {
    test(name, fn);
    return;
  }
  if (process.env.CI === "true") test(name, () => assert.fail(`cannot run on CI: ${MISSING}`));
  else test(name, { skip: MISSING }, () => {});
}
