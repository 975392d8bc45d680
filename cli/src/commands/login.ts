import { connect, homeServer } from "../lib/api-client.js";
import { COMMON_OPTIONS, commandArgs } from "../lib/args.js";
import { readConfig, writeConfig } from "../lib/config.js";
import { info, type Context } from "../lib/context.js";
import { ApiError, CliError, EXIT, UsageError } from "../lib/errors.js";
import { readUpTo } from "../lib/input.js";
import { tokenFromPassword, USE_A_TOKEN } from "../lib/password-login.js";
import { askHidden } from "../lib/prompt.js";

export const loginHelp = `Usage: hushlink login [options]

Stores an API token so that hushlink acts as your account: organization-only shares, e-mail
recipients and secret requests. Create the token in the web dashboard (API tokens): share
and get need the scope "Shares only" or "Full access", request "Full access". The token is
kept in $XDG_CONFIG_HOME/hushlink/config.json (or ~/.config/hushlink/config.json, readable
only by you) and is only ever sent to that server. The server becomes the default for
share and request.

The token comes from --token, from stdin when it is piped, or is asked on the terminal.
HUSHLINK_TOKEN, when set, is used instead of a stored token, without login.

With --email, hushlink signs in with your password instead (from stdin when it is piped, or
asked on the terminal) and makes a token named after this computer (see API tokens in the
dashboard). An account with two-step sign-in is asked for the code from its authenticator app
(or a recovery code) on the terminal; one whose only second factor is a passkey, which works in
a browser alone, for a recovery code. Without a terminal, or with --no-prompt, use a token.

Options:
  --token T         the API token (visible in your shell history and process list: prefer
                    the prompt or stdin)
  --email ADDRESS   sign in with this account's password and make a token
  --no-prompt       never ask on the terminal (scripts): fail instead, saying what to do
  --server URL      the Hushlink server (default: HUSHLINK_SERVER, or the one from the last login)
  -h, --help        show this help

Examples:
  hushlink login --server https://hush.example.com
  hushlink login --server https://hush.example.com --email you@example.com
  pass show hushlink-token | hushlink login --server https://hush.example.com
`;

export const logoutHelp = `Usage: hushlink logout

Forgets the stored API token. The token itself stays valid until you delete it in the web
dashboard.

Options:
  -h, --help        show this help

Example:
  hushlink logout
`;

const LOGIN_OPTIONS = {
  ...COMMON_OPTIONS,
  token: { type: "string" },
  email: { type: "string" },
  "no-prompt": { type: "boolean" },
} as const;

async function readToken(ctx: Context): Promise<string> {
  if (!ctx.stdin.isTTY) {
    // Piped in: `pass show token | hushlink login`.
    const { bytes } = await readUpTo(ctx.stdin, 4096);
    return bytes.toString("utf8");
  }
  return askHidden(ctx, "API token: ", { stdinFree: true, what: "API token" });
}

const LOGIN_ARGS = {
  command: "login",
  help: loginHelp,
  options: LOGIN_OPTIONS,
  names: [],
} as const;

export async function login(ctx: Context, args: string[]): Promise<number> {
  const parsed = commandArgs(ctx, args, LOGIN_ARGS);
  if (!parsed) return EXIT.ok;
  const { values } = parsed;
  const config = await readConfig(ctx.env);
  const server = homeServer(values.server, ctx, config);
  if (!server) {
    throw new UsageError("Which server? Pass --server URL or set HUSHLINK_SERVER.", "login");
  }
  if (values.token !== undefined && values.email !== undefined)
    throw new UsageError("Pass --token or --email, not both.", "login");
  const prompt = !values["no-prompt"];
  let given: string;
  if (values.token !== undefined) given = values.token;
  else if (values.email !== undefined)
    given = await tokenFromPassword(ctx, { base: server, email: values.email, prompt });
  else if (!prompt && ctx.stdin.isTTY)
    throw new UsageError(`No token given: ${USE_A_TOKEN}.`, "login");
  else given = await readToken(ctx);
  const token = given.trim();
  if (!token) throw new UsageError("No token given.", "login");
  if (/\s/.test(token)) throw new UsageError("A token has no spaces in it.", "login");

  const api = await connect(
    { ...ctx, env: { ...ctx.env, HUSHLINK_TOKEN: token } },
    { server, command: "login" },
  );
  let who: string | null = null;
  try {
    const me = await api.me();
    who = me.user.email;
  } catch (error) {
    // A server without the accounts API yet answers 404; the token is kept and used when it can be.
    if (!(error instanceof ApiError && error.status === 404)) {
      if (error instanceof ApiError && error.exitCode === EXIT.denied) {
        throw new CliError(`The server refused this token: ${error.message}`, EXIT.denied);
      }
      throw error;
    }
  }
  const path = await writeConfig(ctx.env, { ...config, server, token });
  if (who) info(ctx, `Logged in to ${server} as ${who}.`);
  else info(ctx, `Token stored for ${server}, but this server could not confirm it yet.`);
  info(ctx, `Saved in ${path}.`);
  return EXIT.ok;
}

const LOGOUT_ARGS = {
  command: "logout",
  help: logoutHelp,
  options: { help: COMMON_OPTIONS.help },
  names: [],
} as const;

export async function logout(ctx: Context, args: string[]): Promise<number> {
  const parsed = commandArgs(ctx, args, LOGOUT_ARGS);
  if (!parsed) return EXIT.ok;
  const config = await readConfig(ctx.env);
  if (!config.token) {
    info(ctx, "Not logged in.");
    return EXIT.ok;
  }
  const { token: _forgotten, ...rest2 } = config;
  await writeConfig(ctx.env, rest2);
  info(
    ctx,
    `Logged out of ${config.server ?? "the server"}. The token stays valid until deleted in the dashboard.`,
  );
  return EXIT.ok;
}
