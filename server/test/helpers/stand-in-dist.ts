import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A stand-in web build (web/dist: `index.html` and `assets/`) in a temporary folder, so a suite
 * does not depend on the real one having been built. The caller removes it.
 */
export function standInDist(indexHtml: string, assets: Record<string, string | Buffer>): string {
  const dist = mkdtempSync(join(tmpdir(), "hushlink-dist-"));
  mkdirSync(join(dist, "assets"));
  writeFileSync(join(dist, "index.html"), indexHtml);
  for (const [name, body] of Object.entries(assets))
    writeFileSync(join(dist, "assets", name), body);
  return dist;
}
