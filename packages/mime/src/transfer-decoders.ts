// Streaming Content-Transfer-Encoding decoders (base64, quoted-printable, identity).

export interface ByteDecoder {
  write(chunk: Buffer): Buffer;
  end(): Buffer;
}

const identity = (): ByteDecoder => ({ write: (b) => b, end: () => Buffer.alloc(0) });

function base64(): ByteDecoder {
  let rest = "";
  return {
    write(chunk) {
      const s = rest + chunk.toString("latin1").replace(/[^A-Za-z0-9+/]/g, "");
      const usable = s.length - (s.length % 4);
      rest = s.slice(usable);
      return Buffer.from(s.slice(0, usable), "base64");
    },
    end() {
      const s = rest;
      rest = "";
      return Buffer.from(s, "base64");
    },
  };
}

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

function quotedPrintable(): ByteDecoder {
  let rest = Buffer.alloc(0);
  const decode = (b: Buffer, final: boolean): Buffer => {
    const out = Buffer.allocUnsafe(b.length);
    let o = 0;
    let i = 0;
    for (; i < b.length; i++) {
      const c = b[i];
      if (c !== 61) {
        out[o++] = c;
        continue;
      }
      // "=" needs up to 2 more bytes (or "=\r\n" 3) to decide; keep it for the next chunk.
      if (!final && i + 3 > b.length) break;
      const h = hex(b[i + 1] ?? -1);
      const l = hex(b[i + 2] ?? -1);
      if (h >= 0 && l >= 0) {
        out[o++] = h * 16 + l;
        i += 2;
      } else if (b[i + 1] === 10) i += 1;
      else if (b[i + 1] === 13 && b[i + 2] === 10) i += 2;
      else if (b[i + 1] === 32 || b[i + 1] === 9) {
        // "=" followed by trailing white space, then the line break: a soft break too.
        let j = i + 1;
        while (j < b.length && (b[j] === 32 || b[j] === 9 || b[j] === 13)) j++;
        if (j === b.length && !final) break;
        if (b[j] === 10) i = j;
        else out[o++] = c;
      } else out[o++] = c;
    }
    rest = Buffer.from(b.subarray(i));
    return out.subarray(0, o);
  };
  return {
    write: (chunk) => decode(rest.length ? Buffer.concat([rest, chunk]) : chunk, false),
    end: () => decode(rest, true),
  };
}

export function transferDecoder(encoding: string | null): ByteDecoder {
  switch (encoding?.toLowerCase()) {
    case "base64":
      return base64();
    case "quoted-printable":
      return quotedPrintable();
    default:
      return identity();
  }
}
