import assert from "node:assert/strict";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Maildir, readSpecialUse, SPECIAL_USE_FILE, writeSpecialUse } from "../src/index.js";
import { makeMaildir } from "./helpers.js";

test("special-use file: created with the folder, rewritten via tmp/, removed when emptied", async (t) => {
  const { root, cleanup } = makeMaildir();
  t.after(cleanup);
  const md = await Maildir.open(root);
  await md.createFolder("INBOX.Sent", ["\\Sent"]);
  await md.createFolder("INBOX.Plain");
  assert.deepEqual(await md.specialUse("INBOX.Sent"), ["\\Sent"]);
  assert.deepEqual(await md.specialUse("INBOX.Plain"), []);
  assert.deepEqual(await md.specialUse("INBOX"), []);
  assert.deepEqual(await md.specialUse("INBOX.Missing"), []);
  const dir = join(root, ".Sent");
  await writeSpecialUse(dir, ["\\Drafts", "\\Sent"]);
  assert.deepEqual(await readSpecialUse(dir), ["\\Drafts", "\\Sent"]);
  assert.deepEqual(readdirSync(join(dir, "tmp")), [], "no temp file left behind");
  writeFileSync(join(dir, SPECIAL_USE_FILE), "\\Junk\ngarbage\n\n\\Trash");
  assert.deepEqual(await readSpecialUse(dir), ["\\Junk", "\\Trash"]);
  await writeSpecialUse(dir, []);
  assert.equal(existsSync(join(dir, SPECIAL_USE_FILE)), false);
  await writeSpecialUse(dir, []);
  // nothing is left in the root's tmp/ by CREATE either
  assert.deepEqual(readdirSync(join(root, "tmp")), []);
});
