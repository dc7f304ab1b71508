// authuserdb's `scram-sha-256` authtype (authlib/src/scramrequest.ts has the exchange):
// the secret comes from `<service>-scram-sha-256pw`, else `scram-sha-256pw`.

import {
  ACCEPT,
  type AuthRecord,
  DATA,
  type ModuleLogger,
  type ModuleResult,
  parseScramRequest,
  parseScramSecret,
  REJECT,
  SCRAM_SALT_KEY,
  verifyScramProof,
} from "@courier-imap/authlib";
import type { Fields } from "@courier-imap/userdb";

export interface ScramLookup {
  shadow(userid: string): Fields | undefined;
  /** The account record without password fields, or undefined when there is no account. */
  record(userid: string): AuthRecord | undefined;
}

export function userdbScram(
  service: string,
  authdata: string,
  db: ScramLookup,
  log: ModuleLogger,
): ModuleResult {
  const req = parseScramRequest(authdata);
  if (!req) return REJECT("malformed SCRAM request");
  const rec = db.record(req.userid);
  if (!rec) return REJECT();
  const shadow = db.shadow(req.userid);
  const text = shadow?.get(`${service}-scram-sha-256pw`) ?? shadow?.get("scram-sha-256pw");
  if (text === undefined) {
    log.debug(`userdb: no scram-sha-256pw for '${req.userid}'`);
    return REJECT();
  }
  const secret = parseScramSecret(text);
  if (!secret) {
    log.err(
      `userdb: the scram-sha-256pw of '${req.userid}' is not a SCRAM-SHA-256 secret (make it with userdbpw -scram-sha-256)`,
    );
    return REJECT();
  }
  if (req.step === "salt")
    return DATA([`${SCRAM_SALT_KEY}=${secret.iterations},${secret.salt.toString("base64")}`]);
  const signature = verifyScramProof(secret, req.authMessage, req.proof);
  if (!signature) {
    log.debug(`userdb: scram-sha-256 verification failed for '${req.userid}'`);
    return REJECT();
  }
  return ACCEPT({ ...rec, scramSignature: signature.toString("base64") });
}
