import { parseArgs } from "node:util";

import {
  Email,
  MAX_NAME_LENGTH,
  MAX_NOTE_LENGTH,
  seal,
  sealForRecipients,
  shareLink,
} from "@hushlink/protocol";
import type { CreateShareBody, ShareRecipient } from "@hushlink/protocol";

import { connect, type ApiClient } from "../lib/api-client.js";
import {
  COMMON_OPTIONS,
  formatDuration,
  formatViews,
  parseCommandArgs,
  refuseRepeated,
  parseExpiry,
  parseViews,
} from "../lib/args.js";
import { info, type Context } from "../lib/context.js";
import { ApiError, CliError, EXIT, formatDate, UsageError } from "../lib/errors.js";
import { decodeUtf8, readFileUpTo, readUpTo } from "../lib/input.js";
import { readPassword } from "../lib/prompt.js";
import { describeFiles } from "../lib/files.js";
import { checkFileLimits, formatBytes, uploadWithRetries } from "../lib/file-commands.js";

export const DEFAULT_EXPIRES = "1d";

export const help = `Usage: hushlink share [options] < secret.txt
       hushlink share --attach FILE [--attach FILE …] [options] [< message.txt]

Encrypts a secret on this computer, uploads only the ciphertext, and prints the link.
The secret is read from standard input, or from --file, and sent as UTF-8 text exactly as
read (no trimming). Files given with --attach are encrypted here too, chunk by chunk, and
uploaded with them; the text is then optional (stdin is not read when it is a terminal). Only
the link goes to stdout, so it pipes; expiry, views, progress and a manage link (to delete the
secret before it is read) go to stderr.

Options:
  --file F          read the secret from file F (UTF-8 text) instead of stdin
  --attach FILE     attach FILE, any kind and size up to the server's limit; repeat for more.
                    Its name is sent inside the encrypted secret; the server learns only how
                    many files there are and their sizes
  --expires TIME    5m, 30m, 1h, 1d, 7d, 14d or 30d (default ${DEFAULT_EXPIRES}); any <n>s/m/h/d/w
                    from 1 minute up to the server's maximum also works
  --views N         how many times it can be opened: 1 (default) to 1000, or "unlimited"
                    (until it expires)
  --password        also require a password: asked on the terminal (twice), or taken from
                    HUSHLINK_PASSWORD
  --name N          a name that only you see in the dashboard (up to ${MAX_NAME_LENGTH} characters)
  --note TEXT       a message to the recipient, encrypted with the secret and shown above it
                    (up to ${MAX_NOTE_LENGTH} characters)
  --org-only        only signed-in members of your organization can open it (needs login)
  --to EMAIL        e-mail a link to EMAIL; repeat or separate with commas (needs login and
                    a server with e-mail). Each address gets a link of its own, with its own
                    views (--views counts per link), which passes through the server once.
                    Without --allow-external, only members of your organization (signed in
                    with that address) can open it. stdout then gets one line per recipient,
                    "EMAIL<TAB>STATE" (queued, sent or failed), and no link
  --print-links     with --to, add each recipient's link to their line ("EMAIL<TAB>STATE<TAB>
                    LINK"), e.g. to hand one over another way; anyone with it can open it
  --allow-external  let --to send to addresses outside your organization; they open it
                    without an account, so it needs --password (send the password another way),
                    and they also type a code the server e-mails them when they open it
  --no-email-code   with --allow-external: do not ask outside recipients for an e-mailed code
  --server URL      the Hushlink server (default: HUSHLINK_SERVER, or the one from login)
  -h, --help        show this help

Examples:
  printf '%s' "$DB_PASSWORD" | hushlink share --expires 1h
  hushlink share --file notes.txt --views 3 --password
  hushlink share --file deploy.key --to ana@example.com --org-only --expires 7d
  hushlink share --file vpn.conf --to contractor@partner.example --allow-external --password
  link=$(hushlink share --server https://hush.example.com < token.txt)
  hushlink share --attach server.key --attach server.crt --expires 1h < README.txt
`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  file: { type: "string", short: "f" },
  attach: { type: "string", short: "a", multiple: true },
  expires: { type: "string", short: "e" },
  views: { type: "string", short: "v" },
  password: { type: "boolean", short: "p" },
  name: { type: "string" },
  note: { type: "string" },
  "org-only": { type: "boolean" },
  to: { type: "string", multiple: true },
  "allow-external": { type: "boolean" },
  "print-links": { type: "boolean" },
  "no-email-code": { type: "boolean" },
} as const;

/** How long share --to waits for the server to hand its mails to SMTP before printing. */
const DELIVERY_WAIT_MS = 10_000;

/**
 * Each recipient's delivery state once none is queued any more (or the wait is over): the mail
 * leaves the server a moment after the create, and "sent" or "failed" is what the sender needs.
 */
async function deliveryStates(api: ApiClient, id: string): Promise<ShareRecipient[]> {
  const deadline = Date.now() + DELIVERY_WAIT_MS;
  for (;;) {
    const item = (await api.myShares()).items.find((i) => i.id === id);
    const recipients = item?.recipients ?? [];
    if (recipients.every((r) => r.delivery !== "queued") || Date.now() >= deadline) {
      return recipients;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function kib(bytes: number): string {
  return bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

export async function share(ctx: Context, args: string[]): Promise<number> {
  const { values, positionals, tokens } = parseCommandArgs("share", () =>
    parseArgs({ args, options: OPTIONS, allowPositionals: true, tokens: true }),
  );
  refuseRepeated("share", tokens, OPTIONS);
  if (values.help) {
    ctx.stdout.write(help);
    return EXIT.ok;
  }
  if (positionals.length > 0) {
    // Not echoed: it may well be the secret itself.
    throw new UsageError(
      "share takes no arguments: the secret comes from stdin or --file, never from the command line.",
      "share",
    );
  }
  const expiresIn = parseExpiry(values.expires ?? DEFAULT_EXPIRES);
  const maxViews = values.views === undefined ? 1 : parseViews(values.views);
  const name = values.name;
  // Counted in code points, as the server counts it: an emoji is one character, not two.
  if (name !== undefined && [...name].length > MAX_NAME_LENGTH) {
    throw new UsageError(`--name must be at most ${MAX_NAME_LENGTH} characters.`, "share");
  }
  const note = values.note?.trim() ?? "";
  if (note.length > MAX_NOTE_LENGTH) {
    throw new UsageError(`--note must be at most ${MAX_NOTE_LENGTH} characters.`, "share");
  }
  const recipients = (values.to ?? [])
    .flatMap((to) => to.split(","))
    .map((to) => to.trim())
    .filter((to) => to !== "");
  for (const address of recipients) {
    if (!Email.safeParse(address).success) {
      throw new UsageError(`--to "${address}" is not a plain e-mail address.`, "share");
    }
  }
  const allowExternal = values["allow-external"] === true;
  if (values["print-links"] && recipients.length === 0) {
    throw new UsageError("--print-links is for --to: name the addresses to send to.", "share");
  }
  if (values["no-email-code"] && !allowExternal) {
    throw new UsageError(
      "--no-email-code is for --allow-external: only outside recipients get codes.",
      "share",
    );
  }
  if (allowExternal) {
    if (recipients.length === 0) {
      throw new UsageError("--allow-external is for --to: name the addresses to send to.", "share");
    }
    if (values["org-only"]) {
      throw new UsageError(
        "--allow-external and --org-only contradict each other: people outside the organization cannot open an organization-only secret.",
        "share",
      );
    }
    if (!values.password) {
      throw new UsageError(
        "--allow-external needs --password: people outside your organization open the link without an account, so a password (sent another way) protects it.",
        "share",
      );
    }
  }

  const api = await connect(ctx, { server: values.server, command: "share" });
  if ((values["org-only"] || recipients.length > 0) && !api.hasToken) {
    throw new CliError(
      `${values["org-only"] ? "--org-only" : "--to"} needs an account: run hushlink login first.`,
      EXIT.denied,
    );
  }
  const limits = await api.config();
  // Links are {PUBLIC_URL}/s#… (§3), also when this command calls the server at another address.
  const linkBase = limits.publicUrl ?? api.base;
  if (expiresIn > limits.maxExpiresIn) {
    throw new UsageError(
      `--expires is longer than this server allows (${formatDuration(limits.maxExpiresIn)}).`,
      "share",
    );
  }
  if (maxViews !== null && maxViews > limits.maxViews) {
    throw new UsageError(`--views is more than this server allows (${limits.maxViews}).`, "share");
  }
  if (recipients.length > 0 && !limits.emailEnabled) {
    throw new CliError(
      "This server cannot send e-mail (no SMTP configured), so --to is unavailable.",
    );
  }

  const attached = await describeFiles(values.attach ?? []);
  checkFileLimits(attached, limits, api.hasToken);

  const file = values.file !== undefined && values.file !== "-" ? values.file : null;
  // With attachments the text is optional: a terminal on stdin means there is none.
  const noText = !file && attached.length > 0 && ctx.stdin.isTTY === true;
  if (!file && !noText && ctx.stdin.isTTY) {
    info(ctx, "Type or paste the secret, then press Ctrl-D on an empty line:");
  }
  const read = noText
    ? { bytes: new Uint8Array(0), truncated: false }
    : file
      ? await readFileUpTo(file, limits.maxSecretBytes)
      : await readUpTo(ctx.stdin, limits.maxSecretBytes);
  const source = file ?? "The input";
  if (read.truncated) {
    throw new CliError(
      `${source} is larger than this server's limit of ${kib(limits.maxSecretBytes)}: nothing was sent.`,
    );
  }
  const text = decodeUtf8(read.bytes);
  if (text === null) {
    throw new CliError(
      `${source} is not UTF-8 text: to share it as a file, use --attach ${file ?? "FILE"}. Nothing was sent.`,
    );
  }
  if (text === "" && attached.length === 0) {
    throw new CliError(`${source} is empty: there is nothing to share.`);
  }

  const password = values.password
    ? await readPassword(ctx, { confirm: true, stdinFree: file !== null, exitCode: EXIT.error })
    : undefined;
  if (recipients.length > 0) {
    return shareWithRecipients(ctx, api, {
      attached,
      text,
      note,
      password,
      recipients,
      allowExternal,
      emailCodes: values["no-email-code"] !== true,
      printLinks: values["print-links"] === true,
      linkBase,
      expiresIn,
      maxViews,
      name,
      orgOnly: values["org-only"] === true,
    });
  }
  const sealed = await seal(text, {
    ...(password === undefined ? {} : { password }),
    ...(note ? { note } : {}),
    files: attached.map((f) => f.meta),
  });
  const body: CreateShareBody = { ...sealed.body, expiresIn, maxViews };
  if (name !== undefined) body.name = name;
  if (values["org-only"]) body.access = "organization";
  const created = await createShare(api, body);

  if (attached.length > 0) {
    await uploadWithRetries(ctx, api, { created, files: attached });
  }

  ctx.stdout.write(`${shareLink(linkBase, sealed.linkSecret)}\n`);
  info(ctx, `Expires:  ${formatDate(created.expiresAt)} (in ${formatDuration(expiresIn)})`);
  info(ctx, `Views:    ${formatViews(created.maxViews)}`);
  if (password !== undefined) info(ctx, "Password: required (send it another way)");
  if (attached.length > 0) {
    const bytes = attached.reduce((n, f) => n + f.meta.size, 0);
    info(ctx, `Files:    ${attached.length} (${formatBytes(bytes)}), encrypted and uploaded`);
  }
  if (created.manageToken) {
    info(ctx, `Manage:   ${linkBase}/manage/${created.id}#${created.manageToken}`);
    info(ctx, "          (keep this link to delete the secret before it is read)");
  }
  return EXIT.ok;
}

async function createShare(api: ApiClient, body: CreateShareBody) {
  try {
    return await api.createShare(body);
  } catch (error) {
    // The server's words name the web form's checkbox; the CLI's option is --allow-external.
    if (error instanceof ApiError && error.code === "recipient_not_member") {
      const email = typeof error.details.email === "string" ? error.details.email : "An address";
      throw new CliError(
        `${email} is not a member of your organization. To send it there, add --allow-external (with --password). Nothing was sent.`,
        error.exitCode,
      );
    }
    throw error;
  }
}

/**
 * share --to (F14): a link of its own for each recipient, each e-mailed by the server, so each
 * has its own views and the sender sees who opened it. stdout gets one line per recipient with
 * its delivery state; the links only with --print-links, since each opens the secret.
 */
async function shareWithRecipients(
  ctx: Context,
  api: ApiClient,
  args: {
    attached: Awaited<ReturnType<typeof describeFiles>>;
    text: string;
    note: string;
    password: string | undefined;
    recipients: string[];
    allowExternal: boolean;
    emailCodes: boolean;
    printLinks: boolean;
    linkBase: string;
    expiresIn: number;
    maxViews: number | null;
    name: string | undefined;
    orgOnly: boolean;
  },
): Promise<number> {
  // One Argon2id run per link when there is a password: its salt comes from that link's secret.
  const sealed = await sealForRecipients(args.text, args.recipients, {
    ...(args.password === undefined ? {} : { password: args.password }),
    ...(args.note ? { note: args.note } : {}),
    // Files are encrypted once, under keys of their own that every link's payload carries.
    files: args.attached.map((f) => f.meta),
  });
  const body: CreateShareBody = {
    id: sealed.id,
    recipientLinks: sealed.recipientLinks,
    expiresIn: args.expiresIn,
    maxViews: args.maxViews,
    ...(sealed.blobs ? { blobs: sealed.blobs } : {}),
  };
  if (args.name !== undefined) body.name = args.name;
  if (args.orgOnly) body.access = "organization";
  if (args.allowExternal) body.allowExternalRecipients = true;
  if (args.allowExternal && !args.emailCodes) body.requireEmailCode = false;
  const created = await createShare(api, body);
  // Uploaded once, to the share; every recipient's link opens the same files.
  if (args.attached.length > 0) {
    await uploadWithRetries(ctx, api, { created, files: args.attached });
  }
  const states = await deliveryStates(api, created.id);
  const stateOf = (email: string) => states.find((r) => r.email === email)?.delivery ?? "queued";
  for (const link of sealed.recipientLinks) {
    const line = [link.email, stateOf(link.email)];
    if (args.printLinks) line.push(shareLink(args.linkBase, link.linkSecret));
    ctx.stdout.write(`${line.join("\t")}\n`);
  }
  // The sender's handle on the whole share: hushlink status ID and hushlink delete ID.
  info(ctx, `Share:    ${created.id} (hushlink status or delete with it)`);
  info(ctx, `Expires:  ${formatDate(created.expiresAt)} (in ${formatDuration(args.expiresIn)})`);
  info(ctx, `Views:    ${formatViews(created.maxViews)} per recipient`);
  if (args.password !== undefined) info(ctx, "Password: required (send it another way)");
  if (args.attached.length > 0) {
    const bytes = args.attached.reduce((n, f) => n + f.meta.size, 0);
    info(ctx, `Files:    ${args.attached.length} (${formatBytes(bytes)}), uploaded once for all`);
  }
  const failed = sealed.recipientLinks.filter((l) => stateOf(l.email) === "failed");
  if (failed.length > 0) {
    throw new CliError(
      `The mail to ${failed.map((l) => l.email).join(", ")} could not be delivered: the dashboard can retry it${args.printLinks ? ", or hand over the printed link another way" : ""}.`,
    );
  }
  return EXIT.ok;
}
