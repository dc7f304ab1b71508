// userdbpw -scram-sha-256: the SCRAM-SHA-256 secret (RFC 5803 form) for the userdb field
// scram-sha-256pw, which authuserdb uses for AUTHENTICATE SCRAM-SHA-256.

import { makeScramSecret } from "@courier-imap/authlib";

export const SCRAM_OPTION = "-scram-sha-256";

export const SCRAM_HELP = `    -scram-sha-256  the SCRAM-SHA-256 secret for the field scram-sha-256pw
                    (SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>,
                    RFC 5803), for SCRAM-SHA-256 logins. Wins over the others.
`;

export const scramSecret = (password: string): string => makeScramSecret(password);
