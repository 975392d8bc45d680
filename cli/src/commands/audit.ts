import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";

import { verifyAuditExport } from "@hushlink/protocol";

import { connect } from "../lib/api-client.js";
import { COMMON_OPTIONS, parseCommandArgs, positionals } from "../lib/args.js";
import { info, type Context } from "../lib/context.js";
import { CliError, EXIT, UsageError } from "../lib/errors.js";
import { runSubcommand } from "../lib/subcommands.js";
import { printable } from "../lib/terminal.js";

export const help = `Usage: hushlink audit <export|verify> [options]

The organization's audit log (admins): every entry carries the SHA-256 of the one before it, so
an entry edited, removed, inserted or moved in an export is found by verify.

Commands:
  export            print the log as NDJSON on stdout, one entry a line, oldest first
    --org ID          the organization (default: your first one)
    --since DATE      entries at or after DATE (ISO 8601, e.g. 2026-12-01 or 2026-12-01T10:00Z)
    --until DATE      entries before DATE
  verify FILE       check an export's chain; names the first line that breaks it ("-": stdin)

Options:
  --server URL      the Hushlink server (default: HUSHLINK_SERVER, or the one from login)
  -h, --help        show this help

Exit codes: 0 done (verify: the chain holds), 1 the chain is broken or another error,
5 not signed in or not an admin.

Examples:
  hushlink audit export --since 2026-12-01 > audit.ndjson
  hushlink audit verify audit.ndjson
`;

function isoDate(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`${flag} "${value}" is not a date.`, "audit");
  return new Date(ms).toISOString();
}

async function exportLog(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals: rest } = parseCommandArgs("audit", () =>
    parseArgs({
      args,
      options: {
        ...COMMON_OPTIONS,
        org: { type: "string" },
        since: { type: "string" },
        until: { type: "string" },
      },
      allowPositionals: true,
    }),
  );
  if (values.help) {
    ctx.stdout.write(help);
    return EXIT.ok;
  }
  positionals("audit", rest, []);
  const range = {
    since: isoDate(values.since, "--since"),
    until: isoDate(values.until, "--until"),
  };
  const api = await connect(ctx, { server: values.server, command: "audit" });
  const orgId = values.org ?? (await api.me()).orgs[0]?.id;
  if (!orgId) throw new CliError("This account belongs to no organization.");
  const body = await api.auditExport(orgId, range);
  // Stream as it arrives: a long log need not fit in memory here.
  for await (const chunk of body) ctx.stdout.write(chunk);
  return EXIT.ok;
}

async function readAll(ctx: Context, file: string): Promise<string> {
  if (file !== "-") return readFile(file, "utf8");
  const chunks: Buffer[] = [];
  for await (const chunk of ctx.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

async function verify(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals: rest } = parseCommandArgs("audit", () =>
    parseArgs({ args, options: COMMON_OPTIONS, allowPositionals: true }),
  );
  if (values.help) {
    ctx.stdout.write(help);
    return EXIT.ok;
  }
  const [file = ""] = positionals("audit", rest, ["FILE"]);
  let text: string;
  try {
    text = await readAll(ctx, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new CliError(`Cannot read ${printable(file)} (${code}).`);
  }
  const verdict = await verifyAuditExport(text);
  if (!verdict.ok) {
    info(ctx, `Line ${verdict.line}: ${verdict.reason}.`);
    return EXIT.error;
  }
  info(ctx, `The chain holds: ${verdict.entries} entr${verdict.entries === 1 ? "y" : "ies"}.`);
  if (verdict.lastHash) ctx.stdout.write(`${verdict.lastHash}\n`);
  return EXIT.ok;
}

export function audit(ctx: Context, args: string[]): Promise<number> {
  return runSubcommand(ctx, args, { name: "audit", help }, { export: exportLog, verify });
}
