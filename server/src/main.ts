/**
 * The server's entry point (`node server/dist/main.js`, `npm start`, the container's CMD).
 *
 * It only sets up the heap for start-up (startup-heap.ts) and then loads the server: an ES
 * module's static imports are all loaded before any of them runs, so the server is imported
 * dynamically to load it, and its module loader's allocations, with that setting in effect.
 */
import "./startup-heap.js";

await import("./run.js");
