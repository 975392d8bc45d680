/**
 * `hushlink`: share and open Hushlink secrets from a terminal or a script. Runs on import: the bin
 * shim (cli/bin/hushlink.js) only imports this file.
 */
import { run } from "./cli.js";
import { processContext } from "./lib/context.js";

process.exitCode = await run(process.argv.slice(2), processContext());
