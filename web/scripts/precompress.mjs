#!/usr/bin/env node
// Writes Brotli and gzip copies of the built scripts, styles and SVGs beside each file, so the
// server sends the smaller copy a browser asks for without compressing on every request. On a
// slow phone network the share page's first load is mostly these bytes (the entry script is
// about 330 KB as built, about 100 KB gzipped).
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const assets = new URL("../dist/assets/", import.meta.url).pathname;
const COMPRESSIBLE = /\.(?:js|css|svg|json)$/;

let plain = 0;
let brotli = 0;
for (const name of readdirSync(assets).filter((f) => COMPRESSIBLE.test(f))) {
  const file = join(assets, name);
  const bytes = readFileSync(file);
  const br = brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
    },
  });
  writeFileSync(`${file}.br`, br);
  writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 9 }));
  plain += bytes.length;
  brotli += br.length;
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`precompress: ${kb(plain)} of scripts and styles, ${kb(brotli)} as Brotli`);
