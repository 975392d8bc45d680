/**
 * A small tmpfs for disk-full tests (faults.test.ts, disk-full.test.ts). Mounting one needs root
 * (CAP_SYS_ADMIN); where it cannot be mounted, `cannotMountTmpfs` says why and the suite says so.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Mounts a tmpfs of `size` (mount's spelling: "4m") on `dir`; null, or why it could not. */
export function mountTmpfs(dir: string, size: string): string | null {
  try {
    mkdirSync(dir, { recursive: true });
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0700`, "tmpfs", dir], {
      stdio: "pipe",
    });
    return null;
  } catch (error) {
    return (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
  }
}

/** Unmounts (lazily) and removes a mount point made by `mountTmpfs`. */
export function unmountTmpfs(dir: string): void {
  try {
    execFileSync("umount", ["-l", dir], { stdio: "pipe" });
  } catch {
    // not mounted (the mount itself failed)
  }
  rmSync(dir, { recursive: true, force: true });
}

/** Why no tmpfs can be mounted here, or null when one can (tried once per test file). */
export function cannotMountTmpfs(): string | null {
  const probeDir = mkdtempSync(join(tmpdir(), "hushlink-tmpfs-probe-"));
  const cannot = mountTmpfs(probeDir, "64k");
  if (!cannot) execFileSync("umount", [probeDir]);
  rmSync(probeDir, { recursive: true, force: true });
  return cannot;
}

/** Fills the file system of `dir` to its last block with the file `filler`; its bytes. */
export function fillDisk(dir: string, filler: string): { written: number; freeBlocks: number } {
  const chunk = Buffer.alloc(64 * 1024, 1);
  let written = 0;
  for (;;) {
    try {
      writeFileSync(filler, chunk, { flag: "a" });
      written += chunk.length;
    } catch {
      break;
    }
  }
  for (let size = 4096; size >= 1; size = Math.floor(size / 2)) {
    try {
      writeFileSync(filler, Buffer.alloc(size), { flag: "a" });
      written += size;
    } catch {
      // full at this size; try smaller
    }
  }
  return { written, freeBlocks: statfsSync(dir).bavail };
}
