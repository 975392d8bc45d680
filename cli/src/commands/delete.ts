import { deriveLinkKeys } from "@hushlink/protocol";

import { connect } from "../lib/api-client.js";
import { COMMON_OPTIONS } from "../lib/args.js";
import { info, type Context } from "../lib/context.js";
import { checkedCode, emailCodeFor } from "../lib/email-code.js";
import { CliError, EXIT } from "../lib/errors.js";
import { linkCommandArgs } from "../lib/links.js";
import { sharePasswordKeys } from "../lib/prompt.js";

export const help = `Usage: hushlink delete [options] URL|ID

Destroys a secret at once, without reading it. URL is the manage link printed by hushlink
share, or the share link: its holder may destroy the secret when they may open it (signed in for
an organization's or a recipient's secret; the password, on the terminal or from
HUSHLINK_PASSWORD, when it has one; and for a link sent to an outside address that asks for an
e-mailed code, that code). ID is a share's id, as hushlink share --to prints it: signed in as its
sender (or an admin of its organization), that deletes the share and every recipient's link.

Options:
  --email-code CODE the six-digit code e-mailed to the link's address; without it one is
                    e-mailed now and asked for on the terminal
  --server URL      send the request to URL instead of the link's server
  -h, --help        show this help

Exit codes: 0 deleted, 2 already gone, 3 unknown link, 4 wrong or missing password or code,
5 sign-in required or not allowed.

Examples:
  hushlink delete 'https://hush.example.com/s#hJ3…'
  hushlink delete 'https://hush.example.com/manage/Qm9…#c2Vj…'
  hushlink delete Xk3v9QmTq0m0bW1a8J2c_A
`;

const OPTIONS = { ...COMMON_OPTIONS, "email-code": { type: "string" } } as const;
const REMOVE_ARGS = { command: "delete", help, options: OPTIONS } as const;

export async function remove(ctx: Context, args: string[]): Promise<number> {
  const parsed = linkCommandArgs(ctx, args, REMOVE_ARGS);
  if (!parsed) return EXIT.ok;
  const { values, link } = parsed;
  const givenCode =
    values["email-code"] === undefined
      ? undefined
      : checkedCode(values["email-code"].trim(), "delete");
  const api = await connect(ctx, { server: values.server, linkBase: link.base, command: "delete" });
  if (link.kind === "manage") {
    await api.deleteShare(link.id, { manageToken: link.manageToken });
  } else if (link.kind === "id") {
    if (!api.hasToken) {
      throw new CliError("Deleting a share by its id needs hushlink login first.", EXIT.denied);
    }
    await api.deleteShare(link.id, { member: true });
    info(ctx, "Deleted: the share and every recipient's link are destroyed.");
    return EXIT.ok;
  } else {
    const keys = await deriveLinkKeys(link.linkSecret);
    // A link holder deletes under the reveal's rule: the e-mailed code and the password.
    const metadata = await api.shareMetadata(keys.id);
    const emailCode = metadata.requiresEmailCode
      ? await emailCodeFor(
          ctx,
          api,
          { ...keys, maskedEmail: metadata.maskedEmail },
          givenCode,
          "delete",
        )
      : undefined;
    const passwordKeys = await sharePasswordKeys(ctx, link.linkSecret, metadata);
    await api.deleteShare(keys.id, {
      viewToken: keys.viewToken,
      ...(passwordKeys ? { verifier: passwordKeys.verifier } : {}),
      ...(emailCode ? { emailCode } : {}),
    });
  }
  info(ctx, "Deleted: the secret is destroyed and the link no longer opens it.");
  return EXIT.ok;
}
