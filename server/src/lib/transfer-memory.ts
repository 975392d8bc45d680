/**
 * Keeps the memory of file transfers bounded by a few chunks (issue 17: RSS at most 64 MB above
 * idle whatever the file size). Each chunk that moves is a 1 MiB Buffer outside V8's heap, held
 * by a JS object of a few bytes, so young-generation collections (which free such Buffers) come
 * rarely, and V8 only steps in once about 64 MB of external memory has piled up since its last
 * collection: the dead chunks of a long transfer sat there, 55–70 MB of them in the bench. A
 * scavenge after every few MiB of file bytes frees them at once. It takes about a millisecond
 * (the young generation is small), against tens of milliseconds to move those MiB.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** File bytes moved between two scavenges. */
export const SCAVENGE_EVERY_BYTES = 8 * 1024 * 1024;

type Gc = (options: { type: "minor" | "major" }) => void;

let gc: Gc | null | undefined;

/** V8's gc(), made available at the first use (starting node with --expose-gc is not needed). */
function collector(): Gc | null {
  if (gc === undefined) {
    try {
      setFlagsFromString("--expose-gc");
      gc = runInNewContext("gc") as Gc;
    } catch {
      // A runtime that refuses the flag keeps V8's own schedule.
      gc = null;
    }
  }
  return gc;
}

let moved = 0;

/** Counts file bytes that went through this process (uploaded or downloaded). */
export function fileBytesMoved(bytes: number): void {
  moved += bytes;
  if (moved < SCAVENGE_EVERY_BYTES) return;
  moved = 0;
  collector()?.({ type: "minor" });
}
