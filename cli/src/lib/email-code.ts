/**
 * The code a link sent to an external address asks for (issue 19), for get and delete alike: the
 * one given with --email-code, or a new one e-mailed now and typed on the terminal. Asked before
 * the password, which the server checks after the code.
 */
import type { ApiClient } from "./api-client.js";
import { info, type Context } from "./context.js";
import { ApiError, CliError, EXIT, formatDate, UsageError } from "./errors.js";
import { askHidden, NoTerminalError } from "./prompt.js";

export function checkedCode(code: string, command: string): string {
  if (!/^[0-9]{6}$/.test(code)) {
    throw new UsageError("The e-mailed code is six digits.", command);
  }
  return code;
}

export async function emailCodeFor(
  ctx: Context,
  api: ApiClient,
  link: { id: string; viewToken: string; maskedEmail: string | undefined },
  given: string | undefined,
  command: string,
): Promise<string> {
  if (given !== undefined) return given;
  const to = link.maskedEmail ?? "the address this link was sent to";
  try {
    const sent = await api.requestEmailCode(link.id, link.viewToken);
    info(ctx, `A code was e-mailed to ${to}; it works until ${formatDate(sent.expiresAt)}.`);
  } catch (error) {
    // One code a minute: the one sent a moment ago still works.
    if (!(error instanceof ApiError && error.code === "email_code_limit")) throw error;
    info(ctx, `A code was e-mailed to ${to} less than a minute ago: use that one.`);
  }
  let code: string;
  try {
    code = await askHidden(ctx, "Code from the e-mail: ", { stdinFree: true, what: "code" });
  } catch (error) {
    if (error instanceof NoTerminalError) {
      throw new CliError(
        "No terminal to ask for the code: run this again with --email-code CODE.",
        EXIT.password,
      );
    }
    throw error;
  }
  return checkedCode(code.trim(), command);
}
