/**
 * The memory chunk bodies are read into (chunk-body.ts): slabs of one encrypted chunk each, reused
 * instead of a fresh 1 MiB Buffer per request (issue 17: server memory while files move).
 *
 * There is no limit on the slabs out: each is one PUT's body being read, and a client that
 * trickles its body holds its own slab only. A limit here let eight such clients stall every
 * upload on the server until their request timeout; the chunk file bounds its queue instead,
 * once a body is whole (chunk-file-store.ts).
 *
 * A store may take a slab over (`handOver`, the chunk file transfers it to its thread: no copy)
 * and give the slot back once done with it (`returned`, with the memory when it comes back).
 */
import { MessageChannel } from "node:worker_threads";

/** Slabs kept for reuse at most: the uploads in flight at once (a client sends 4). */
const KEPT_SLABS = 4;

/**
 * Frees an ArrayBuffer's memory now rather than at V8's external-memory trigger (about 64 MB of
 * dead buffers): one moved to a closed port is detached and dropped (as chunk-writer.ts does).
 */
const sink = new MessageChannel().port1;
sink.close();
function freeNow(memory: ArrayBuffer) {
  try {
    sink.postMessage(null, [memory]);
  } catch {
    // Not transferable: left to the collector.
  }
}

export interface SlabStats {
  /** Slabs ever allocated, kept for reuse now, out now, out at most so far. */
  allocated: number;
  kept: number;
  out: number;
  peakOut: number;
}

export interface SlabPool {
  readonly size: number;
  /** A slab, kept or new. */
  take(): ArrayBuffer;
  /** Gives back the slab under `body` once nothing reads it; ignores any other memory. */
  release(body: Uint8Array): void;
  /**
   * The slab under `body` (a view from its start), for the caller to keep: `release` ignores it
   * from now on and the caller gives its slot back with `returned`. Null if it is not one lent.
   */
  handOver(body: Uint8Array): ArrayBuffer | null;
  /** A handed-over slab's slot back, with its memory when that came back too (else null). */
  returned(memory: ArrayBuffer | null): void;
  stats(): SlabStats;
}

export function createSlabPool(size: number, options: { kept?: number } = {}): SlabPool {
  const keep = options.kept ?? KEPT_SLABS;
  const free: ArrayBuffer[] = [];
  // Slabs lent and not handed over (release's check); `out` also counts the handed-over ones.
  const lent = new Set<ArrayBuffer>();
  let allocated = 0;
  let out = 0;
  let peakOut = 0;

  function lend(): ArrayBuffer {
    out++;
    peakOut = Math.max(peakOut, out);
    let slab = free.pop();
    if (!slab) {
      allocated++;
      slab = new ArrayBuffer(size);
    }
    lent.add(slab);
    return slab;
  }

  /** A slab's slot came back: its memory kept for the next body, or freed. */
  function slotBack(memory: ArrayBuffer | null) {
    out--;
    if (memory && memory.byteLength === size) {
      if (free.length < keep) free.push(memory);
      else freeNow(memory);
    }
  }

  return {
    size,
    take: lend,
    release(body) {
      const slab = body.buffer as ArrayBuffer;
      if (!lent.delete(slab)) return;
      slotBack(slab);
    },
    handOver(body) {
      const slab = body.buffer as ArrayBuffer;
      if (body.byteOffset !== 0 || !lent.delete(slab)) return null;
      return slab;
    },
    returned: slotBack,
    stats: () => ({
      allocated,
      kept: free.length,
      out,
      peakOut,
    }),
  };
}
