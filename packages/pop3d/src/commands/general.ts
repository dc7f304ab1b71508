// CAPA, LANG (RFC 6856 pro-forma), UTF8 (RFC 6856; also accepted after login, as Courier
// does for Outlook).

import { capaLines } from "../session/capa.js";
import type { Handler } from "./types.js";

export const capa: Handler = async (s) => {
  for (const l of capaLines(s.settings.env)) await s.out.line(l);
};

export const lang: Handler = async (s, args) => {
  const tag = args.trim();
  if (!tag) {
    for (const l of ["+OK Language listing follows:", "en English", "i-default Default language", "."])
      await s.out.line(l);
    return;
  }
  if (["en", "i-default", "*"].includes(tag.toLowerCase())) return s.reply(true, `${tag} King's English`);
  return s.reply(false, "Language not available.");
};

export const utf8: Handler = async (s) => {
  s.utf8 = true;
  return s.reply(true, "UTF8 enabled");
};
