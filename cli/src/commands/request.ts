import { RequestId } from "@hushlink/protocol";
import type { CreateRequestBody } from "@hushlink/protocol";

import { connect } from "../lib/api-client.js";
import {
  COMMON_OPTIONS,
  formatDuration,
  commandArgs,
  parseExpiry,
  shownArgument,
} from "../lib/args.js";
import { info, type Context } from "../lib/context.js";
import { ApiError, EXIT, formatDate, UsageError } from "../lib/errors.js";
import { suggestion } from "../lib/suggest.js";
import { jsonLine, printable } from "../lib/terminal.js";
import { answer, createEndToEnd, openCommand } from "./request-e2e.js";

export const DEFAULT_REQUEST_EXPIRES = "7d";

export const help = `Usage: hushlink request <create|open|answer|list|reveal|delete> [options]

Asks someone else for a secret: create a request, send them its link, and read what they
submitted.

Commands:
  create            create an end-to-end encrypted request: the reading link, printed on
                    stdout, is the only key to the answer (keep it; Hushlink cannot recover
                    it); the link to send goes to stderr; no account needed unless the server
                    requires one; --json prints both links
    --name N          what you are asking for, shown to the sender
    --expires TIME    5m, 30m, 1h, 1d, 7d, 14d or 30d (default ${DEFAULT_REQUEST_EXPIRES})
    --org-only        only signed-in members of your organization can submit
    --server-encrypted  the older kind instead (needs an account): the server encrypts the
                      answer at rest and can read it; prints the request link, and request
                      reveal shows the answer
  open READING_LINK print the answer to an end-to-end request on stdout exactly
                    (--json for {text, files?, submittedAt}); its files are decrypted here
                    and saved into the current folder, or
    --output DIR      into DIR (--force overwrites a file of the same name)
  answer REQUEST_LINK  answer an end-to-end request (…/r/ID#…) with the secret on stdin
    --file PATH       attach the file PATH, encrypted here; repeat for more (the text on
                      stdin is then optional)
  list              list your requests (--json for the raw answer)
  reveal ID         print the submitted value on stdout exactly (--json for {value, submittedAt})
  delete ID         delete the request and anything submitted to it

ID is the request's id or its link (…/r/ID).

Options:
  --server URL      the Hushlink server (default: HUSHLINK_SERVER, or the one from login)
  -h, --help        show this help

Exit codes: 0 done, 3 unknown request, 5 not signed in or not allowed.

Examples:
  hushlink request create --name "Stripe API key" --expires 1d > reading-link.txt
  hushlink request open "$(cat reading-link.txt)" > stripe.key
  printf %s "$KEY" | hushlink request answer "https://hush.example.com/r/ID#FINGERPRINT"
  hushlink request answer "https://hush.example.com/r/ID#FINGERPRINT" --file server.key < /dev/null
  hushlink request open "$(cat reading-link.txt)" --output ~/Downloads
  hushlink request list
  hushlink request reveal 5rYw2Qx3mJ8kL0aB9cD1eF > stripe.key
  hushlink request delete https://hush.example.com/r/5rYw2Qx3mJ8kL0aB9cD1eF
`;

const SUBCOMMANDS = ["create", "open", "answer", "list", "reveal", "delete"] as const;

function requestId(arg: string): string {
  let id = arg.trim();
  try {
    const match = /\/r\/([^/]+)\/?$/.exec(new URL(id).pathname);
    if (match?.[1]) id = match[1];
  } catch {
    // not a URL: a bare id
  }
  if (!RequestId.safeParse(id).success) {
    throw new UsageError(`"${shownArgument(arg)}" is not a request id or request link.`, "request");
  }
  return id;
}

const CREATE_ARGS = {
  command: "request",
  help,
  options: {
    ...COMMON_OPTIONS,
    name: { type: "string" },
    expires: { type: "string", short: "e" },
    "org-only": { type: "boolean" },
    // The default since end-to-end requests came; still accepted, so scripts that say it work.
    "end-to-end": { type: "boolean" },
    "server-encrypted": { type: "boolean" },
    json: { type: "boolean" },
  },
  names: [],
} as const;

async function create(ctx: Context, args: string[]): Promise<number> {
  const parsed = commandArgs(ctx, args, CREATE_ARGS);
  if (!parsed) return EXIT.ok;
  const { values } = parsed;
  if (values["end-to-end"] && values["server-encrypted"]) {
    throw new UsageError("Choose --end-to-end or --server-encrypted, not both.", "request");
  }
  const expiresIn = parseExpiry(values.expires ?? DEFAULT_REQUEST_EXPIRES);
  const api = await connect(ctx, { server: values.server, command: "request" });
  const body: CreateRequestBody = {
    expiresIn,
    access: values["org-only"] ? "organization" : "anyone",
  };
  if (values.name !== undefined) body.name = values.name;
  if (!values["server-encrypted"]) {
    return createEndToEnd(ctx, api, body, values.json === true);
  }
  const created = await api.createRequest(body);
  ctx.stdout.write(`${printable(created.url)}\n`);
  info(ctx, `Expires:  ${formatDate(created.expiresAt)} (in ${formatDuration(expiresIn)})`);
  info(ctx, `Reveal:   hushlink request reveal ${created.id}`);
  return EXIT.ok;
}

/** The web's words for a request's state ("fulfilled" is the API's; people read "answered"). */
const STATUS_WORDS: Record<string, string> = { open: "open", fulfilled: "answered" };

const JSON_OPTIONS = { ...COMMON_OPTIONS, json: { type: "boolean" } } as const;
const LIST_ARGS = { command: "request", help, options: JSON_OPTIONS, names: [] } as const;

async function list(ctx: Context, args: string[]): Promise<number> {
  const parsed = commandArgs(ctx, args, LIST_ARGS);
  if (!parsed) return EXIT.ok;
  const { values } = parsed;
  const api = await connect(ctx, { server: values.server, command: "request" });
  const items = [];
  let cursor: string | undefined;
  // Follow the pages; the bound only guards against a server that never stops paging.
  for (let page = 0; page < 1000; page++) {
    const answer = await api.listRequests(cursor);
    items.push(...answer.items);
    if (!answer.nextCursor) break;
    cursor = answer.nextCursor;
  }
  if (values.json) {
    ctx.stdout.write(jsonLine({ items }));
    return EXIT.ok;
  }
  if (items.length === 0) {
    info(ctx, "No requests.");
    return EXIT.ok;
  }
  const lines = items.map((item) =>
    [
      item.id.padEnd(24),
      (STATUS_WORDS[item.status] ?? item.status).padEnd(10),
      formatDate(item.expiresAt).padEnd(22),
      item.name ?? "",
    ]
      .map(printable)
      .join(" "),
  );
  ctx.stdout.write(
    `${["ID".padEnd(24), "STATUS".padEnd(10), "EXPIRES".padEnd(22), "NAME"].join(" ")}\n` +
      `${lines.join("\n")}\n`,
  );
  return EXIT.ok;
}

const REVEAL_ARGS = { command: "request", help, options: JSON_OPTIONS, names: ["ID"] } as const;

/**
 * `request reveal|delete ID`: the server's API, connected first (a missing login is said before a
 * malformed ID, as it always was), and the ID, checked when asked for.
 */
async function connectFor(
  ctx: Context,
  parsed: { values: { server?: string }; positionals: string[] },
) {
  const [arg = ""] = parsed.positionals;
  const api = await connect(ctx, { server: parsed.values.server, command: "request" });
  return { api, id: () => requestId(arg) };
}

async function reveal(ctx: Context, args: string[]): Promise<number> {
  const parsed = commandArgs(ctx, args, REVEAL_ARGS);
  if (!parsed) return EXIT.ok;
  const { api, id } = await connectFor(ctx, parsed);
  const answer = await api.revealRequest(id()).catch((error: unknown) => {
    // The server cannot open an end-to-end answer; only this command's sibling can.
    if (error instanceof ApiError && error.code === "answer_kind_mismatch") {
      throw new ApiError(
        "This request is end-to-end: its answer opens only with the reading link printed when it was made, with hushlink request open READING_LINK. (answer_kind_mismatch)",
        EXIT.error,
        error.status,
        error.code,
        error.details,
      );
    }
    throw error;
  });
  if (parsed.values.json) ctx.stdout.write(jsonLine(answer));
  // Whoever had the request link wrote this value: exact bytes into a pipe or file, but no
  // escape sequences into the requester's terminal.
  else ctx.stdout.write(ctx.stdout.isTTY ? printable(answer.value) : answer.value);
  return EXIT.ok;
}

const REMOVE_ARGS = { command: "request", help, options: COMMON_OPTIONS, names: ["ID"] } as const;

async function remove(ctx: Context, args: string[]): Promise<number> {
  const parsed = commandArgs(ctx, args, REMOVE_ARGS);
  if (!parsed) return EXIT.ok;
  const { api, id } = await connectFor(ctx, parsed);
  await api.deleteRequest(id());
  info(ctx, "Deleted.");
  return EXIT.ok;
}

export async function request(ctx: Context, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined) {
    ctx.stderr.write(help);
    return EXIT.usage;
  }
  if (sub === "-h" || sub === "--help" || sub === "help") {
    ctx.stdout.write(help);
    return EXIT.ok;
  }
  switch (sub as (typeof SUBCOMMANDS)[number]) {
    case "create":
      return create(ctx, rest);
    case "open":
      return openCommand(ctx, rest);
    case "answer":
      return answer(ctx, rest);
    case "list":
      return list(ctx, rest);
    case "reveal":
      return reveal(ctx, rest);
    case "delete":
      return remove(ctx, rest);
    default:
      throw new UsageError(
        `Unknown request command "${sub}": use ${SUBCOMMANDS.join(", ")}.${suggestion(sub, SUBCOMMANDS)}`,
        "request",
      );
  }
}
