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
 * This is a V8 flag changed at run time rather than a command-line option so that it applies to
 * every way the server is started (`npm start`, `node server/dist/main.js`, the container's CMD).
 * The flag is only read when V8 decides to grow the space. Imported first by main.ts, before the
 * rest of the server is evaluated.
 */
import { setFlagsFromString } from "node:v8";

/** V8's default (node --v8-options). */
const DEFAULT_GROWTH_FACTOR = 2;

/** An operator who tunes the young generation on the command line keeps their setting. */
const tunedByOperator = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((arg) =>
  /semi[-_]space/.test(arg),
);

if (!tunedByOperator) setFlagsFromString("--semi-space-growth-factor=1");

/** Start-up is over: from here V8 sizes the young generation as it normally does. */
export function startupHeapDone(): void {
  if (!tunedByOperator) setFlagsFromString(`--semi-space-growth-factor=${DEFAULT_GROWTH_FACTOR}`);
}
