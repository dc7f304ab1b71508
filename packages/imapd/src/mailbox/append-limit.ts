// APPENDLIMIT (RFC 7889). IMAP_APPENDLIMIT, a positive number of octets, is the largest
// message APPEND accepts (larger: `NO [TOOBIG]`, refused before the literal is asked for);
// when it is set CAPABILITY announces `APPENDLIMIT=<n>`. Without it a bare APPENDLIMIT
// listed in IMAP_CAPABILITY stays bare and STATUS APPENDLIMIT answers NIL (no limit).

/** The configured limit in octets, or undefined (no limit). */
export function appendLimit(env: NodeJS.ProcessEnv): number | undefined {
  const v = (env.IMAP_APPENDLIMIT ?? "").trim();
  if (!/^\d{1,15}$/.test(v)) return undefined;
  const n = Number(v);
  return n > 0 ? n : undefined;
}
