/**
 * `hushlink login --email`: signs in with the password, and the second factor when the account
 * has one (SPEC F16), only to make an API token for this computer; the session is signed out
 * again at once, and the token is stored like one given with --token. The code is asked on the
 * terminal; where there is none (or with --no-prompt) the command says to use an API token,
 * because a script cannot type a code from a phone.
 */
import { hostname } from "node:os";

import { CreateApiTokenResponse, SecondFactorChallenge } from "@hushlink/protocol";

import { errorFromAnswer, unreachable } from "./api-errors.js";
import { info, type Context } from "./context.js";
import { ApiError, CliError, EXIT, UsageError } from "./errors.js";
import { readUpTo } from "./input.js";
import { askHidden, NoTerminalError } from "./prompt.js";

const TIMEOUT_MS = 30_000;
/** Wrong codes asked again before giving up (the server ends a pending sign-in at five). */
const CODE_TRIES = 3;

export const USE_A_TOKEN =
  "create an API token in the web dashboard (API tokens) and run hushlink login --token " +
  "(or pipe it in), or set HUSHLINK_TOKEN";

interface Answer {
  status: number;
  body: unknown;
  cookies: Record<string, string>;
}

/** One JSON call of the sign-in: errors as every other command words them. */
async function send(
  ctx: Context,
  base: string,
  path: string,
  body: unknown,
  session: Record<string, string> = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    accept: "application/json",
    "content-type": "application/json",
  };
  if (session.hl_session && session.hl_csrf) {
    headers.cookie = `hl_session=${session.hl_session}; hl_csrf=${session.hl_csrf}`;
    headers["x-csrf-token"] = session.hl_csrf;
  }
  let response: Response;
  let text: string;
  try {
    response = await ctx.fetch(`${base}${path}`, {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      redirect: "manual",
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    text = await response.text();
  } catch (error) {
    throw unreachable(base, error, TIMEOUT_MS);
  }
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.status < 200 || response.status >= 300)
    throw errorFromAnswer(response.status, parsed, response.statusText);
  const cookies: Record<string, string> = {};
  for (const line of response.headers.getSetCookie()) {
    const match = /^(hl_session|hl_csrf)=([^;]*)/.exec(line);
    if (match?.[1] && match[2]) cookies[match[1]] = decodeURIComponent(match[2]);
  }
  return { status: response.status, body: parsed, cookies };
}

async function readPassword(ctx: Context): Promise<string> {
  let password: string;
  if (!ctx.stdin.isTTY) {
    // Piped in: `pass show hushlink | hushlink login --email …`.
    const { bytes } = await readUpTo(ctx.stdin, 4096);
    password = bytes.toString("utf8").replace(/\r?\n$/, "");
  } else {
    password = await askHidden(ctx, "Password: ", { stdinFree: true, what: "password" });
  }
  if (password === "") throw new UsageError("No password given.", "login");
  return password;
}

/** Six digits (spaces allowed) are an app's code; anything else is taken as a recovery code. */
function secondFactorBody(pendingToken: string, typed: string) {
  const compact = typed.replace(/\s+/g, "");
  return /^\d{6}$/.test(compact)
    ? { pendingToken, code: compact }
    : { pendingToken, recoveryCode: typed.trim() };
}

async function completeSecondFactor(
  ctx: Context,
  base: string,
  challenge: SecondFactorChallenge,
  prompt: boolean,
): Promise<Answer> {
  const refused = () =>
    new CliError(
      `This account signs in with a second factor, which hushlink cannot ask for here: ${USE_A_TOKEN}.`,
      EXIT.denied,
    );
  if (!prompt) throw refused();
  // A passkey answers only to a browser: an account without an authenticator app can still
  // sign in here with one of its recovery codes, and is told so before being asked.
  const hasApp = challenge.methods.includes("totp");
  if (!hasApp)
    info(
      ctx,
      "This account's second factor is a passkey, which only a browser can use. Type one of " +
        `its recovery codes, or leave it empty and ${USE_A_TOKEN}.`,
    );
  const question = hasApp
    ? "Code from your authenticator app (or a recovery code): "
    : "Recovery code: ";
  for (let attempt = 1; ; attempt++) {
    let typed: string;
    try {
      typed = await askHidden(ctx, question, { what: hasApp ? "code" : "recovery code" });
    } catch (error) {
      if (error instanceof NoTerminalError) throw refused();
      throw error;
    }
    if (typed.trim() === "") throw refused();
    try {
      return await send(
        ctx,
        base,
        "/api/v1/auth/login/second-factor",
        secondFactorBody(challenge.pendingToken, typed),
      );
    } catch (error) {
      if (!(error instanceof ApiError && error.code === "invalid_code") || attempt >= CODE_TRIES)
        throw error;
      info(ctx, "That code is wrong or was used already. Try the next one.");
    }
  }
}

/**
 * Signs in as `email` and returns a new API token (full access, named after this computer). The
 * password comes from stdin when it is piped, else from the terminal.
 */
export async function tokenFromPassword(
  ctx: Context,
  options: { base: string; email: string; prompt: boolean },
): Promise<string> {
  const { base, email, prompt } = options;
  let password: string;
  try {
    password = await readPassword(ctx);
  } catch (error) {
    if (error instanceof NoTerminalError)
      throw new CliError(`No terminal to ask for the password: ${USE_A_TOKEN}.`, EXIT.denied);
    throw error;
  }
  let signedIn = await send(ctx, base, "/api/v1/auth/login", { email, password });
  if (signedIn.status === 202) {
    const challenge = SecondFactorChallenge.safeParse(signedIn.body);
    if (!challenge.success)
      throw new CliError(`Unexpected answer from ${base} to the sign-in.`, EXIT.error);
    signedIn = await completeSecondFactor(ctx, base, challenge.data, prompt);
  }
  const session = signedIn.cookies;
  if (!session.hl_session || !session.hl_csrf)
    throw new CliError(`The server at ${base} signed in but set no session.`, EXIT.error);
  try {
    const created = await send(
      ctx,
      base,
      "/api/v1/tokens",
      { name: `hushlink on ${hostname()}`.slice(0, 100) },
      session,
    );
    const parsed = CreateApiTokenResponse.safeParse(created.body);
    if (!parsed.success)
      throw new CliError(`Unexpected answer from ${base} to the token's creation.`, EXIT.error);
    return parsed.data.token;
  } finally {
    // The session was only the way to the token: it ends here, whatever happened.
    await send(ctx, base, "/api/v1/auth/logout", {}, session).catch(() => undefined);
  }
}
