/**
 * A describe block on its own small tmpfs, for the full-disk suites (faults.test.ts,
 * disk-full.test.ts, disk-full-files.test.ts): mounted before its tests, unmounted after them
 * (once `beforeUnmount`, e.g. the suite's killServers, has run). Where no tmpfs can be mounted
 * (it needs root), the block is not registered and a warning says why.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterAll, beforeAll, describe } from "vitest";

import { cannotMountTmpfs, mountTmpfs, unmountTmpfs } from "./tmpfs.js";

export function fullDiskSuite(
  title: string,
  options: { size: string; beforeUnmount?: () => Promise<void> },
  body: (mountPoint: () => string) => void,
): void {
  const cannotMount = cannotMountTmpfs();
  if (cannotMount) {
    console.warn(`${title}: not run: cannot mount a tmpfs here (${cannotMount})`);
    return;
  }
  describe(title, () => {
    let mountPoint = "";
    beforeAll(() => {
      mountPoint = mkdtempSync(join(tmpdir(), "hushlink-full-"));
      const failed = mountTmpfs(mountPoint, options.size);
      if (failed) throw new Error(`mount failed: ${failed}`);
    });
    afterAll(async () => {
      await options.beforeUnmount?.();
      if (mountPoint) unmountTmpfs(mountPoint);
    });
    body(() => mountPoint);
  });
}
