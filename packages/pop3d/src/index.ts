export { DotStuffer } from "./message/dot-stuff.js";
export { capaLines } from "./session/capa.js";
