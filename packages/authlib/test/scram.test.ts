// SCRAM-SHA-256 secrets and proofs against the RFC 7677 §3 example exchange.

import assert from "node:assert/strict";
import { test } from "node:test";
import {
  makeScramSecret,
  parseScramRequest,
  parseScramSaltReply,
  parseScramSecret,
  scramClientProof,
  verifyScramProof,
} from "../src/index.js";

const SALT = Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64");
const AUTH_MESSAGE = Buffer.from(
  "n=user,r=rOprNGfwEbeRWgbNEkqO," +
    "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096," +
    "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0",
);
const PROOF = Buffer.from("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "base64");

test("RFC 7677 example: the stored secret verifies the client's proof and signs the server", () => {
  const secret = parseScramSecret(makeScramSecret("pencil", 4096, SALT));
  assert.ok(secret);
  const sig = verifyScramProof(secret, AUTH_MESSAGE, PROOF);
  assert.equal(sig?.toString("base64"), "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
  assert.deepEqual(scramClientProof("pencil", SALT, 4096, AUTH_MESSAGE).proof, PROOF);
  const wrong = Buffer.from(PROOF);
  wrong[0] ^= 1;
  assert.equal(verifyScramProof(secret, AUTH_MESSAGE, wrong), undefined);
});

test("the secret is RFC 5803 text; malformed ones are refused", () => {
  assert.match(
    makeScramSecret("x"),
    /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$/,
  );
  assert.equal(parseScramSecret("{SHA256}abc"), undefined);
  assert.equal(parseScramSecret("SCRAM-SHA-256$4096:c2FsdA==$AAAA:AAAA"), undefined);
});

test("the scram-sha-256 authtype's two steps and the salt reply a Courier client reads as FAIL", () => {
  assert.deepEqual(parseScramRequest("joe\n"), { step: "salt", userid: "joe" });
  const p = parseScramRequest(`joe\n${AUTH_MESSAGE.toString("base64")}\n${PROOF.toString("base64")}\n`);
  assert.equal(p?.step, "proof");
  assert.equal(parseScramRequest("joe\nnot base64!\nxx\n"), undefined);
  assert.deepEqual(parseScramSaltReply("SCRAM-SHA-256=4096,W22ZaJ0SNY7soEsUEjb6gQ==\nFAIL\n"), {
    iterations: 4096,
    salt: SALT,
  });
});
