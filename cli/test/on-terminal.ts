/**
 * The built `hushlink` on a real pseudo-terminal (util-linux `script`), for what only a person at
 * a terminal can do: answer prompts that read /dev/tty. Each answer is typed once its prompt has
 * appeared, as a person would; the output is what the terminal showed (stdout and stderr).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";

import { ROOT } from "./live-server.js";

const BIN = join(ROOT, "cli/bin/hushlink.js");

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;

export interface TerminalRun {
  code: number | null;
  /** What the terminal showed, with CR LF turned into LF. */
  output: string;
}

export function hushlinkOnTerminal(
  work: string,
  args: string[],
  answers: { after: RegExp; type: string }[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<TerminalRun> {
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  return new Promise((resolve, reject) => {
    // -q quiet, -f flush at once, -e the command's exit code, -c the command; no typescript file.
    const child = spawn("script", ["-qfec", command, "/dev/null"], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: work,
        XDG_CONFIG_HOME: join(work, "config"),
        TERM: "dumb",
        ...options.env,
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    let seen = 0;
    const pending = [...answers];
    const onOutput = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const next = pending[0];
      if (next && next.after.test(output.slice(seen))) {
        pending.shift();
        seen = output.length;
        child.stdin.write(`${next.type}\r`);
      }
    };
    child.stdout.on("data", onOutput);
    child.stderr.on("data", onOutput);
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.replace(/\r\n/g, "\n") });
    });
    child.stdin.on("error", () => undefined);
  });
}
