/**
 * Keeps start-up from growing V8's young generation (issue 24: idle memory).
 *
 * Loading and wiring the server allocates a few hundred MB of short-lived objects in a burst;
 * V8 answers such a burst by doubling the young generation's semi-spaces up to 2 × 16 MB, and
 * keeps them committed until its memory reducer runs on an idle process about 15 s later. An idle
 * instance thus held 30 MB for a young generation that only start-up wanted. With the growth
 * factor at 1 during start-up the semi-spaces stay at their initial size (start-up pays a few more
 * scavenges of a small space); once the server listens the factor is V8's default again, so under
 * load the young generation grows exactly as before and throughput is unchanged.
 *
 * Once the server listens, the old generation may grow by at most half its live size between two
 * full collections (issue 24, nineteenth round: peak RSS under load). V8 lets it grow up to 4×
 * what a full collection left alive, plus the young generation's capacity: its factor rises with
 * the allocation rate against the collector's speed, up to a maximum chosen from the machine's RAM
 * (4× from 2 GB), not from what a server keeps alive. The server keeps about 22-25 MB alive under
 * the bench's load (heap snapshot), so a fast-running server could fill the old space with tens of
 * MB of dead objects before collecting them: PostgreSQL's load scenarios peaked at 195 MB RSS.
 * Capped at 1.5× (V8's own floor is 1.1×, 1.3× when it saves memory), the old space stays near
 * the live size plus V8's minimum step (8 MB) and the young generation's capacity; a full
 * collection comes more often, mostly as concurrent marking of those 22 MB.
 *
 * These are V8 flags changed at run time rather than command-line options so that they apply to
 * every way the server is started (`npm start`, `node server/dist/main.js`, the container's CMD).
 * V8 reads them only when it decides to grow a space. Imported first by main.ts, before the rest
 * of the server is evaluated.
 */
import { setFlagsFromString } from "node:v8";

/** V8's default (node --v8-options). */
const DEFAULT_GROWTH_FACTOR = 2;

/** Largest growth of the old generation between full collections, in % of its live size. */
export const OLD_GENERATION_GROWTH_PERCENT = 50;

const operatorFlags = [...process.execArgv, process.env.NODE_OPTIONS ?? ""];
/** An operator who tunes the young generation on the command line keeps their setting. */
const tunedByOperator = operatorFlags.some((arg) => /semi[-_]space/.test(arg));
/** So does one who sets the old generation's growth. */
const growthByOperator = operatorFlags.some((arg) => /heap[-_]growing[-_]percent/.test(arg));

if (!tunedByOperator) setFlagsFromString("--semi-space-growth-factor=1");

/** Start-up is over: from here V8 sizes the young generation as it normally does. */
export function startupHeapDone(): void {
  if (!tunedByOperator) setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
  if (!growthByOperator) {
    setFlagsFromString(`--heap-growing-percent=${OLD_GENERATION_GROWTH_PERCENT}`);
  }
}
