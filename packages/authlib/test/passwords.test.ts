import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import {
  checkCram,
  checkPassword,
  cramSecret,
  makeSha512Crypt,
  makeYescrypt,
  md5Crypt,
  systemCrypt,
} from "../src/index.js";

// spec/userdb.md §7: every value is a hash of "secret".
const VECTORS = [
  "$1$EQwDr$bxL0fdlb3WRr4DFLdBT7y/",
  "$1$M6YnO2lA$lRvzbaFWBROo4Adjqcg1E1",
  "{MD5}Xr4ilOzQ4PCOq3aQ0qbuaQ==",
  "{MD5RAW}5ebe2294ecd0e0f08eab7690d2a6ee69",
  "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=",
  "{SHA256}K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols=",
  "{SHA512}vSsar3708Jvp9Szi2NWZZ02Bqp1qRCFpbcTZPdBhnWgs5WtNZKnvCXdhztmeD2cmW192CF5bDufKRpayrW/isg==",
  "{SSHA}gbw06AY1HYz6qPY/oHe1S0prg1UgtyEn",
  "iDY.OKt0m0Ins",
];

for (const v of VECTORS) {
  test(`spec vector ${v} verifies "secret" and rejects others`, async () => {
    assert.equal(await checkPassword("secret", v), true);
    assert.equal(await checkPassword("Secret", v), false);
    assert.equal(await checkPassword("", v), false);
  });
}

test("md5Crypt reproduces the spec's $1$ vectors", () => {
  assert.equal(md5Crypt("secret", "EQwDr"), "$1$EQwDr$bxL0fdlb3WRr4DFLdBT7y/");
  assert.equal(md5Crypt("secret", "M6YnO2lA"), "$1$M6YnO2lA$lRvzbaFWBROo4Adjqcg1E1");
  assert.match(md5Crypt("secret"), /^\$1\$[./0-9A-Za-z]{8}\$[./0-9A-Za-z]{22}$/);
});

test("prefixes are case-insensitive, encoded parts case-sensitive", async () => {
  assert.equal(await checkPassword("secret", "{md5raw}5ebe2294ecd0e0f08eab7690d2a6ee69"), true);
  assert.equal(await checkPassword("secret", "{sha}5en6G6MezRroT3XKqkdPOmY/BfQ="), true);
  assert.equal(await checkPassword("secret", "{MD5RAW}5EBE2294ECD0E0F08EAB7690D2A6EE69"), false);
  assert.equal(await checkPassword("secret", "{CRYPT}iDY.OKt0m0Ins"), true);
  assert.equal(await checkPassword("secret", "{crypt}iDY.OKt0m0Ins"), true);
});

test("{SSHA} with an 8-byte salt does not verify (Courier takes the last 4 bytes)", async () => {
  const { createHash } = await import("node:crypto");
  const salt = Buffer.from("0123456789abcdef", "hex");
  const v = Buffer.concat([createHash("sha1").update("secret").update(salt).digest(), salt]);
  assert.equal(await checkPassword("secret", `{SSHA}${v.toString("base64")}`), false);
});

test("locked and unsupported values never match", async () => {
  for (const v of ["", "*", "!", "!!", "{SMD5}abc", "{PLAIN}secret", "{CRYPT}"])
    assert.equal(await checkPassword("secret", v), false, v);
  assert.equal(await systemCrypt("secret", "*"), null);
});

test("system crypt: $6$ and $y$ made here verify", async () => {
  const six = await makeSha512Crypt("secret");
  assert.match(six, /^\$6\$/);
  assert.equal(await checkPassword("secret", six), true);
  assert.equal(await checkPassword("wrong", six), false);
  const y = await makeYescrypt("secret");
  assert.match(y, /^\$y\$/);
  assert.equal(await checkPassword("secret", y), true);
  assert.equal(await checkPassword("wrong", y), false);
});

function externalHashes(): { tool: string; hashes: string[] } | undefined {
  const hashes: string[] = [];
  const tools: string[] = [];
  const run = (cmd: string, args: string[], input?: string) => {
    const r = spawnSync(cmd, args, { input, encoding: "utf8" });
    return r.status === 0 ? r.stdout.trim() : undefined;
  };
  const ossl = run("openssl", ["passwd", "-6", "-stdin"], "secret\n");
  if (ossl) {
    hashes.push(ossl);
    tools.push("openssl");
  }
  const mk = run("mkpasswd", ["-m", "yescrypt", "secret"]);
  if (mk) {
    hashes.push(mk);
    tools.push("mkpasswd");
  }
  const py = run("python3", [
    "-W",
    "ignore",
    "-c",
    "import crypt;print(crypt.crypt('secret', crypt.METHOD_SHA512))",
  ]);
  if (py) {
    hashes.push(py);
    tools.push("python3");
  }
  return hashes.length ? { tool: tools.join(", "), hashes } : undefined;
}

test("hashes made by external tools ($6$ / $y$) verify", async (t) => {
  const ext = externalHashes();
  if (!ext) {
    if (process.env.CI === "true")
      assert.fail("no openssl, mkpasswd or python3 crypt to make a $6$/$y$ hash");
    t.skip("no openssl, mkpasswd or python3 crypt available to make a $6$/$y$ hash");
    return;
  }
  t.diagnostic(`hashes from: ${ext.tool}`);
  for (const h of ext.hashes) {
    assert.equal(await checkPassword("secret", h), true, h);
    assert.equal(await checkPassword("secreT", h), false, h);
  }
});

// spec/userdb.md §6
const CRAM = {
  md5: "cd3ba7deaad6e5ca23448ba42e379747a9e0f7f1fbc00c8a81bbaac395731b56",
  sha1: "091e0f4c6cb5277ee2beb639a60d0831b5c8adcdaee172433df3e96ba4f00fb1b6a490c3929d2034",
  sha256:
    "5a84072aab37d22275b139adf7a92564c7f674be98e77d991f6f689d29e0524572804f31b042016804d3dea2f4e991a21b1c8906be161594b202fb74afc8ceb3",
} as const;

for (const alg of ["md5", "sha1", "sha256"] as const) {
  test(`cramSecret(${alg}, "secret") matches userdbpw -hmac-${alg}; checkCram equals HMAC`, () => {
    assert.equal(cramSecret(alg, "secret"), CRAM[alg]);
    const challenge = "<1896.697170952@postoffice.example.net>";
    const hmac = createHmac(alg, "secret").update(challenge).digest("hex");
    assert.equal(checkCram(alg, CRAM[alg], challenge, hmac), true);
    assert.equal(checkCram(alg, CRAM[alg].toUpperCase(), challenge, hmac.toUpperCase()), true);
    assert.equal(checkCram(alg, CRAM[alg], challenge, hmac.slice(0, -1)), false);
    assert.equal(checkCram(alg, CRAM[alg], `${challenge}x`, hmac), false);
    assert.equal(checkCram(alg, CRAM[alg].slice(2), challenge, hmac), false);
    // A long challenge spans several blocks; a long key is hashed first.
    const long = "x".repeat(200);
    assert.equal(
      checkCram(alg, cramSecret(alg, long), long, createHmac(alg, long).update(long).digest("hex")),
      true,
    );
  });
}

test("spec §12.5 CRAM-MD5 example response", () => {
  assert.equal(
    checkCram("md5", CRAM.md5, "<1896.697170952@postoffice.example.net>", "abb7de49c58da1416866bbc566b7e585"),
    true,
  );
});
