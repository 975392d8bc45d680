/**
 * `hushlink`: the command table, the top-level help and `run`, which turns every failure into a
 * one-line message and an exit code. main.ts runs it for the process; tests call it in-process.
 */
import { readFileSync } from "node:fs";

import { PROTOCOL_VERSION } from "@hushlink/protocol";

import { audit, help as auditHelp } from "./commands/audit.js";
import { help as deleteHelp, remove } from "./commands/delete.js";
import { get, help as getHelp } from "./commands/get.js";
import { login, loginHelp, logout, logoutHelp } from "./commands/login.js";
import { help as requestHelp, request } from "./commands/request.js";
import { share, help as shareHelp } from "./commands/share.js";
import { status, help as statusHelp } from "./commands/status.js";
import type { Context } from "./lib/context.js";
import { CliError, EXIT, UsageError } from "./lib/errors.js";
import { suggestion } from "./lib/suggest.js";
import { printable } from "./lib/terminal.js";

interface Command {
  summary: string;
  help: string;
  run(ctx: Context, args: string[]): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  share: {
    summary: "encrypt a secret from stdin or --file and print its link",
    help: shareHelp,
    run: share,
  },
  get: { summary: "open a link and print the secret (uses up a view)", help: getHelp, run: get },
  status: {
    summary: "show whether a link still works, without using a view",
    help: statusHelp,
    run: status,
  },
  delete: {
    summary: "destroy a secret now, by its link or manage link",
    help: deleteHelp,
    run: remove,
  },
  request: {
    summary: "ask someone for a secret: create, list, reveal, delete",
    help: requestHelp,
    run: request,
  },
  audit: {
    summary: "export the organization's audit log, or verify an export's chain",
    help: auditHelp,
    run: audit,
  },
  login: { summary: "store an API token for this server", help: loginHelp, run: login },
  logout: { summary: "forget the stored API token", help: logoutHelp, run: logout },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version?: string;
  };
  return pkg.version ?? "0.0.0";
}

function mainHelp(): string {
  const commands = Object.entries(COMMANDS)
    .map(([name, command]) => `  ${name.padEnd(10)}${command.summary}`)
    .join("\n");
  return `Usage: hushlink <command> [options]

Shares secrets through links that expire after a time and a number of views. Secrets are
encrypted on this computer; the server never sees them, their link or their password.

Commands:
${commands}

Run 'hushlink <command> --help' for a command's options and examples.

Options:
  --server URL      the Hushlink server (also HUSHLINK_SERVER); for get, status and delete
                    the link's own server is the default
  -h, --help        show this help
  -V, --version     print the version

Environment:
  HUSHLINK_SERVER   default server for share, request and login
  HUSHLINK_PASSWORD password for share --password and for get, instead of asking
  HUSHLINK_TOKEN    API token for the configured server, instead of hushlink login
  XDG_CONFIG_HOME   where login keeps its token (default ~/.config/hushlink/config.json)

Exit codes:
  0    success
  1    error: server unreachable, HTTP error, input refused (too large, not UTF-8)
  2    the secret is gone: viewed, expired, deleted or locked (when and why on stderr)
  3    unknown link or request
  4    wrong or missing password
  5    sign-in required or not allowed
  64   bad arguments, unknown command or malformed link
  130  interrupted at a prompt

Examples:
  printf '%s' "$API_KEY" | hushlink share --server https://hush.example.com --expires 1h
  hushlink get 'https://hush.example.com/s#hJ3…' > api.key
`;
}

export async function run(argv: string[], ctx: Context): Promise<number> {
  let args = [...argv];
  // `hushlink --server URL share …` works as well as `hushlink share --server URL …`.
  const global: string[] = [];
  while (args[0] === "--server" || args[0]?.startsWith("--server=")) {
    const count = args[0] === "--server" ? 2 : 1;
    global.push(...args.slice(0, count));
    args = args.slice(count);
  }
  const [name, ...rest] = args;
  let commandName = "";
  try {
    if (name === undefined) {
      ctx.stderr.write(mainHelp());
      return EXIT.usage;
    }
    if (name === "-h" || name === "--help" || name === "help") {
      const topic = rest[0] !== undefined ? COMMANDS[rest[0]] : undefined;
      ctx.stdout.write(topic ? topic.help : mainHelp());
      return EXIT.ok;
    }
    if (name === "-V" || name === "--version" || name === "version") {
      ctx.stdout.write(`hushlink ${version()} (protocol ${PROTOCOL_VERSION})\n`);
      return EXIT.ok;
    }
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (!command) {
      throw new UsageError(`Unknown command "${name}".${suggestion(name, Object.keys(COMMANDS))}`);
    }
    commandName = name;
    return await command.run(ctx, [...rest, ...global]);
  } catch (error) {
    if (error instanceof UsageError) {
      const topic = error.command || commandName;
      ctx.stderr.write(`hushlink: ${printable(error.message)}\n`);
      ctx.stderr.write(`Run 'hushlink ${topic ? `${topic} ` : ""}--help' for usage.\n`);
      return error.exitCode;
    }
    if (error instanceof CliError) {
      // Messages often quote the server's own words: never raw on a terminal.
      ctx.stderr.write(`hushlink: ${printable(error.message)}\n`);
      return error.exitCode;
    }
    // A bug of ours: say so in one line; the stack only on request.
    const message = error instanceof Error ? error.message : String(error);
    ctx.stderr.write(`hushlink: unexpected error: ${printable(message)}\n`);
    if (ctx.env.HUSHLINK_DEBUG && error instanceof Error && error.stack) {
      ctx.stderr.write(`${error.stack}\n`);
    }
    return EXIT.error;
  }
}
