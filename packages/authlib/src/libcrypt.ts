// The system's crypt(3) (libxcrypt / glibc libcrypt.so.1) through koffi, loaded on first
// use so that processes which never verify a crypt hash do not pay for the FFI.

import { randomSalt } from "./md5crypt.js";

interface Binding {
  crypt(password: string, setting: string): Promise<string | null>;
  gensalt?(prefix: string): string | null;
}

const CRYPT_DATA_SIZE = 256 * 1024; // covers libxcrypt (32 KiB) and glibc's struct crypt_data (~128 KiB)

let binding: Promise<Binding> | undefined;

async function load(): Promise<Binding> {
  const koffi = (await import("koffi")).default;
  let lib: ReturnType<typeof koffi.load>;
  try {
    lib = koffi.load("libcrypt.so.1");
  } catch {
    lib = koffi.load("libcrypt.so");
  }
  const tryFunc = (decl: string) => {
    try {
      return lib.func(decl);
    } catch {
      return undefined;
    }
  };
  const cryptRn = tryFunc(
    "char *crypt_rn(const char *phrase, const char *setting, _Out_ uint8_t *data, int size)",
  );
  const cryptR = tryFunc("char *crypt_r(const char *phrase, const char *setting, _Out_ uint8_t *data)");
  const gensaltRn = tryFunc(
    "char *crypt_gensalt_rn(const char *prefix, unsigned long count, const char *rbytes, int nrbytes, _Out_ uint8_t *output, int size)",
  );
  const reentrant = cryptRn ?? cryptR;
  if (!reentrant) throw new Error("libcrypt has neither crypt_rn nor crypt_r");
  return {
    crypt(password, setting) {
      const data = Buffer.alloc(CRYPT_DATA_SIZE);
      const args = cryptRn ? [password, setting, data, data.length] : [password, setting, data];
      // Runs on koffi's worker thread: yescrypt/bcrypt take tens of milliseconds.
      return new Promise((resolve, reject) => {
        reentrant.async(...args, (err: unknown, res: string | null) => (err ? reject(err) : resolve(res)));
      });
    },
    gensalt: gensaltRn
      ? (prefix) => {
          const out = Buffer.alloc(256);
          return gensaltRn(prefix, 0, null, 0, out, out.length) as string | null;
        }
      : undefined,
  };
}

function getBinding(): Promise<Binding> {
  binding ??= load();
  return binding;
}

/** crypt(3) of `password` with `setting` (a full hash or a salt string); null when unsupported or invalid. */
export async function systemCrypt(password: string, setting: string): Promise<string | null> {
  if (password.includes("\0") || setting.includes("\0")) return null;
  const res = await (await getBinding()).crypt(password, setting);
  // libxcrypt signals failure with "*0"/"*1" instead of NULL unless built otherwise.
  if (res === null || res.startsWith("*")) return null;
  return res;
}

async function makeWithPrefix(password: string, prefix: string, fallback?: () => string): Promise<string> {
  const b = await getBinding();
  const setting = b.gensalt?.(prefix) ?? fallback?.();
  if (!setting) throw new Error(`this system's libcrypt cannot make ${prefix} hashes`);
  const hash = await systemCrypt(password, setting);
  if (!hash) throw new Error(`this system's libcrypt does not support ${prefix} hashes`);
  return hash;
}

/** SHA-512-crypt (`$6$`), userdbpw's default. */
export function makeSha512Crypt(password: string): Promise<string> {
  return makeWithPrefix(password, "$6$", () => `$6$${randomSalt(16)}`);
}

/** yescrypt (`$y$`), needs libxcrypt's crypt_gensalt_rn. */
export function makeYescrypt(password: string): Promise<string> {
  return makeWithPrefix(password, "$y$");
}
