import { fromBase64Url, ID_BYTES, InvalidLinkError, linkSecretFrom } from "@hushlink/protocol";

import { commandArgs, type OptionsConfig, type Parsed } from "./args.js";
import { UsageError } from "./errors.js";

export type ParsedLink =
  /** `{server}/s#{S}`, or just `#S` / `S` (then `base` is null and the server comes from elsewhere). */
  | { kind: "share"; linkSecret: string; base: string | null }
  /** `{server}/manage/{id}#{manageToken}`, the anonymous creator's link. */
  | { kind: "manage"; id: string; manageToken: string; base: string }
  /** A share's id as the sender has it (share --to prints it): signed in, its creator or an admin. */
  | { kind: "id"; id: string; base: null };

/** A bare share id: 16 bytes in base64url, unlike a link secret's 32. */
function isShareId(text: string): boolean {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return false;
  try {
    return fromBase64Url(text).length === ID_BYTES;
  } catch {
    return false;
  }
}

const MANAGE_PATH = /^(.*)\/manage\/([A-Za-z0-9_-]+)\/?$/;
const VIEW_PATH = /\/s\/?$/;
/** A request's link, `…/r/{id}`, or its reading link, `…/r/{id}/open` (§3.2). */
const REQUEST_PATH = /\/r\/[A-Za-z0-9_-]+(\/open)?\/?$/;

/** Where the API lives: the origin plus any path prefix the instance is served under. */
function baseOf(url: URL, path: string): string {
  return `${url.origin}${path}`.replace(/\/+$/, "");
}

export function parseLink(arg: string, command: string): ParsedLink {
  const text = arg.trim();
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // not a URL: a bare fragment or link secret, handled below
  }
  if (url && url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(
      `"${url.protocol}" links are not Hushlink links: use http(s)://…`,
      command,
    );
  }
  if (url) {
    const manage = MANAGE_PATH.exec(url.pathname);
    if (manage) {
      const manageToken = url.hash.slice(1);
      if (!manageToken) {
        throw new UsageError("This manage link lacks its token: the part after '#'.", command);
      }
      return {
        kind: "manage",
        id: manage[2] ?? "",
        manageToken,
        base: baseOf(url, manage[1] ?? ""),
      };
    }
  }
  if (url && !VIEW_PATH.test(url.pathname)) {
    // A request's links end in 32 bytes after '#' too: taken for a share's, they sent the
    // calls to {link path}/api/v1/… and read "no endpoint" instead of what to run.
    const request = REQUEST_PATH.exec(url.pathname);
    throw new UsageError(
      request?.[1]
        ? "That is a request's reading link: hushlink request open READING_LINK shows the answer."
        : request
          ? "That is a request's link: hushlink request answer REQUEST_LINK sends a secret to it."
          : "This is not a Hushlink share link: one looks like https://hush.example.com/s#KEY.",
      command,
    );
  }
  if (!url && isShareId(text)) return { kind: "id", id: text, base: null };
  let linkSecret: string;
  try {
    linkSecret = linkSecretFrom(text);
  } catch (error) {
    if (!(error instanceof InvalidLinkError)) throw error;
    // Say what is wrong: a key that is there but damaged is not a missing one.
    const fragment = text.includes("#") ? text.slice(text.indexOf("#") + 1) : url ? "" : text;
    throw new UsageError(
      fragment
        ? "This link is not valid: the part after '#' is not a Hushlink key (it may have been cut short when copied)."
        : error.message,
      command,
    );
  }
  return {
    kind: "share",
    linkSecret,
    base: url ? baseOf(url, url.pathname.replace(VIEW_PATH, "")) : null,
  };
}

/** A server URL from --server, HUSHLINK_SERVER or the config file, without a trailing slash. */
export function normalizeServer(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new UsageError(
      `${source} must be a URL like https://hushlink.example.com, not "${value}".`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new UsageError(`${source} must start with https:// or http://, not "${url.protocol}".`);
  }
  if (url.username || url.password) {
    throw new UsageError(`${source} must not contain a user name or password.`);
  }
  return baseOf(url, url.pathname);
}

export function isLoopback(base: string): boolean {
  const host = new URL(base).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/**
 * The arguments of a command that takes one link (get, status, delete): its options, and the
 * link parsed. Undefined when `--help` was answered and the command has nothing left to do.
 */
export function linkCommandArgs<const O extends OptionsConfig>(
  ctx: { stdout: { write(text: string): unknown } },
  args: string[],
  call: { command: string; help: string; options: O },
): { values: Parsed<O>["values"]; link: ParsedLink } | undefined {
  const parsed = commandArgs(ctx, args, { ...call, names: ["URL"] });
  if (!parsed) return undefined;
  const [url = ""] = parsed.positionals;
  return { values: parsed.values, link: parseLink(url, call.command) };
}
