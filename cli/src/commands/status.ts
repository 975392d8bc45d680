import { deriveLinkKeys, type ShareListItem } from "@hushlink/protocol";

import { connect, type ApiClient } from "../lib/api-client.js";
import { COMMON_OPTIONS, formatViews } from "../lib/args.js";
import type { Context } from "../lib/context.js";
import { CliError, EXIT, formatDate } from "../lib/errors.js";
import { linkCommandArgs } from "../lib/links.js";
import { jsonLine, printable } from "../lib/terminal.js";

export const help = `Usage: hushlink status [options] URL|ID

Shows what the server knows about a secret without using up a view: whether it still exists,
when it expires, how many views are left and whether it needs a password (and, for a recipient's
own link, whom it was sent to, masked, and whether it asks for an e-mailed code). With a manage
link it also shows the name, views used and, once gone, when and why. ID is a share's id, as
hushlink share --to prints it: signed in as its sender, a line per recipient follows (their
link's state, views, delivery and last view).

Options:
  --json            print the server's answer as JSON
  --server URL      send the request to URL instead of the link's server
  -h, --help        show this help

Exit codes: 0 shown, 2 gone (when and why on stderr), 3 unknown link.

Examples:
  hushlink status 'https://hush.example.com/s#hJ3…'
  hushlink status --json "$LINK" | jq .viewsRemaining
  hushlink status Xk3v9QmTq0m0bW1a8J2c_A
`;

const OPTIONS = { ...COMMON_OPTIONS, json: { type: "boolean" } } as const;

function row(label: string, value: string): string {
  return `${`${label}:`.padEnd(12)}${value}\n`;
}

const STATUS_ARGS = { command: "status", help, options: OPTIONS } as const;

export async function status(ctx: Context, args: string[]): Promise<number> {
  const parsed = linkCommandArgs(ctx, args, STATUS_ARGS);
  if (!parsed) return EXIT.ok;
  const { values, link } = parsed;
  const api = await connect(ctx, { server: values.server, linkBase: link.base, command: "status" });

  if (link.kind === "manage") {
    const manage = await api.manageShare(link.id, link.manageToken);
    if (values.json) {
      ctx.stdout.write(jsonLine(manage));
      return EXIT.ok;
    }
    let out = row("Status", manage.status);
    if (manage.name) out += row("Name", manage.name);
    if (manage.createdAt) out += row("Created", formatDate(manage.createdAt));
    if (manage.expiresAt) out += row("Expires", formatDate(manage.expiresAt));
    out += row(
      "Views",
      `${manage.viewCount} of ${manage.maxViews === null ? "unlimited" : manage.maxViews} used`,
    );
    if (manage.goneAt) out += row("Gone since", formatDate(manage.goneAt));
    ctx.stdout.write(printable(out));
    return EXIT.ok;
  }

  if (link.kind === "id") {
    const item = await ownShare(api, link.id);
    if (values.json) {
      ctx.stdout.write(jsonLine(item));
      return EXIT.ok;
    }
    ctx.stdout.write(printable(shareRows(item)));
    return EXIT.ok;
  }

  const keys = await deriveLinkKeys(link.linkSecret);
  const metadata = await api.shareMetadata(keys.id);
  if (values.json) {
    ctx.stdout.write(jsonLine(metadata));
    return EXIT.ok;
  }
  ctx.stdout.write(
    printable(
      row(
        "Status",
        // Declared files not all uploaded yet: get answers upload_incomplete until they are.
        metadata.ready === false
          ? "uploading: its files are not all in yet, it opens once they are"
          : "active",
      ) +
        row("Expires", formatDate(metadata.expiresAt)) +
        row("Views left", formatViews(metadata.viewsRemaining)) +
        row("Password", metadata.requiresPassword ? "required" : "none") +
        (metadata.maskedEmail ? row("Sent to", metadata.maskedEmail) : "") +
        (metadata.requiresEmailCode
          ? row("Email code", "required (e-mailed to that address)")
          : "") +
        row(
          "Access",
          metadata.access === "anyone" ? "anyone with the link" : "organization members",
        ),
    ),
  );
  return EXIT.ok;
}

/** A share of the signed-in sender, found in their list (newest first, a page at a time). */
async function ownShare(api: ApiClient, id: string): Promise<ShareListItem> {
  if (!api.hasToken) {
    throw new CliError("A share's status by its id needs hushlink login first.", EXIT.denied);
  }
  let cursor: string | null = null;
  do {
    const page = await api.mySharesPage(cursor);
    const found = page.items.find((item) => item.id === id);
    if (found) return found;
    cursor = page.nextCursor;
  } while (cursor);
  throw new CliError(`No share ${id} of yours on this server.`, EXIT.notFound);
}

/** The share, then a line per recipient: `EMAIL  STATUS  views  delivery  last view`. */
function shareRows(item: ShareListItem): string {
  let out = row("Status", item.status);
  if (item.name) out += row("Name", item.name);
  out += row("Created", formatDate(item.createdAt)) + row("Expires", formatDate(item.expiresAt));
  const cap = item.maxViews === null ? "unlimited" : String(item.maxViews);
  out += row(
    "Views",
    item.linkPerRecipient
      ? `${item.viewCount} (up to ${cap} per link)`
      : `${item.viewCount} of ${cap} used`,
  );
  if (item.fileCount) out += row("Files", String(item.fileCount));
  if (item.recipients.length > 0) out += "Recipients:\n";
  for (const r of item.recipients) {
    const views =
      r.viewCount === undefined
        ? ""
        : `views ${r.viewCount} of ${r.maxViews === null || r.maxViews === undefined ? "unlimited" : r.maxViews}`;
    const last = r.lastView
      ? `last viewed ${formatDate(r.lastView.at)}${r.lastView.ip ? ` from ${r.lastView.ip}` : ""}${r.lastView.userEmail ? ` by ${r.lastView.userEmail}` : ""}`
      : r.viewCount === undefined
        ? ""
        : "not viewed yet";
    const fields = [r.email, r.status ?? "", views, `e-mail ${r.delivery}`, last].filter(Boolean);
    out += `  ${fields.join("\t")}\n`;
  }
  return out;
}
