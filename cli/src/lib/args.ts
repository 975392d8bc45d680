import { parseArgs, type ParseArgsConfig } from "node:util";

import { EXPIRY_CHOICES, MAX_VIEWS, MIN_EXPIRES_IN } from "@hushlink/protocol";

import { UsageError } from "./errors.js";

/** Options every command takes. */
export const COMMON_OPTIONS = {
  server: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

/**
 * Runs a node:util parseArgs call, turning its errors into one-line usage errors. The call stays
 * at the call site (as a function) so parseArgs can type the values from its literal options.
 */
export function parseCommandArgs<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw usageFromParseError(error, command);
  }
}

export function usageFromParseError(error: unknown, command: string): UsageError {
  // parseArgs explains '--' at length after the first sentence; the first is what matters.
  const message = error instanceof Error ? error.message : String(error);
  return new UsageError(message.split(/(?<=\.) /)[0] ?? message, command);
}

/**
 * An argument as an error message may repeat it: the part after '#' is a link's key (a share's
 * link secret, a request's reading secret), so it is shown as "#…", never written to stderr.
 */
export function shownArgument(arg: string): string {
  const hash = arg.indexOf("#");
  return hash === -1 ? arg : `${arg.slice(0, hash)}#…`;
}

/**
 * Refuses an option that takes one value given twice: parseArgs keeps the last one and drops
 * the others without a word, so `share --file a --file b` shared b alone.
 */
export function refuseRepeated(
  command: string,
  tokens: readonly { kind: string; name?: string }[],
  options: OptionsConfig,
): void {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option" || token.name === undefined) continue;
    const option = options[token.name];
    if (option?.type !== "string" || option.multiple) continue;
    if (seen.has(token.name)) {
      throw new UsageError(`--${token.name} was given twice: it takes one value.`, command);
    }
    seen.add(token.name);
  }
}

/** Exactly as many positionals as `names` (which name them in error messages). */
export function positionals(command: string, values: string[], names: string[]): string[] {
  if (values.length < names.length) {
    throw new UsageError(`Missing ${names[values.length]}.`, command);
  }
  if (values.length > names.length) {
    throw new UsageError(
      `Unexpected argument "${shownArgument(values[names.length] ?? "")}".`,
      command,
    );
  }
  return values;
}

export type OptionsConfig = NonNullable<ParseArgsConfig["options"]>;
export type Parsed<O extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; allowPositionals: true }>
>;

/**
 * A command's arguments, the way every command reads them: the options parsed (their errors as
 * one-line usage errors), then `--help` answered with `help`, then exactly the positionals
 * `names` names. Undefined when the help was written and the command has nothing left to do.
 */
export function commandArgs<const O extends OptionsConfig>(
  ctx: { stdout: { write(text: string): unknown } },
  args: string[],
  call: { command: string; help: string; options: O; names: readonly string[] },
): { values: Parsed<O>["values"]; positionals: string[] } | undefined {
  const { command, options } = call;
  const { args: safe, restore } = idsKeptFromOptions(args, options);
  const parsed = parseCommandArgs(command, () =>
    parseArgs({ args: safe, options, allowPositionals: true }),
  );
  if ((parsed.values as { help?: boolean }).help) {
    ctx.stdout.write(call.help);
    return undefined;
  }
  const values = parsed.values as Record<string, unknown>;
  for (const [name, value] of Object.entries(values)) {
    if (typeof value === "string") values[name] = restore(value);
  }
  return {
    values: parsed.values,
    positionals: positionals(command, parsed.positionals.map(restore), [...call.names]),
  };
}

/** 22 base64url characters: an id (16 bytes) that begins with '-', as one id in 64 does. */
const DASHED_ID = /^-[A-Za-z0-9_-]{21}$/;

/**
 * parseArgs reads any argument that begins with '-' as an option, so `hushlink request reveal
 * -4fZ…` was refused as an unknown option. Such an argument, when it is not one of the command's
 * options, stands in for itself as a placeholder parseArgs takes for a value, and `restore` puts
 * it back. Everything after a `--` is left alone: parseArgs already takes it as positionals.
 */
function idsKeptFromOptions(
  args: string[],
  options: OptionsConfig,
): { args: string[]; restore: (value: string) => string } {
  const kept = new Map<string, string>();
  const end = args.indexOf("--");
  const safe = args.map((arg, i) => {
    if ((end !== -1 && i > end) || !DASHED_ID.test(arg)) return arg;
    if (arg.startsWith("--") && Object.hasOwn(options, arg.slice(2))) return arg;
    // A NUL cannot be in a real argument (argv strings end at one), so no placeholder collides.
    const placeholder = `\u0000${i}`;
    kept.set(placeholder, arg);
    return placeholder;
  });
  return { args: safe, restore: (value) => kept.get(value) ?? value };
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * "5m", "1h", "7d" … into seconds. The UI's choices are the documented ones, but the API takes any
 * whole number of seconds from 60, so any `<integer><s|m|h|d|w>` is accepted; the server's maximum
 * is checked against GET /api/v1/config.
 */
export function parseExpiry(value: string): number {
  const match = /^(\d{1,7})\s*([smhdw])$/i.exec(value.trim());
  const choices = EXPIRY_CHOICES.map((c) => c.short).join(", ");
  if (!match) {
    throw new UsageError(`--expires must be a duration such as ${choices}; got "${value}".`);
  }
  const seconds = Number(match[1]) * (UNIT_SECONDS[(match[2] ?? "").toLowerCase()] ?? 0);
  if (seconds < MIN_EXPIRES_IN) {
    throw new UsageError(`--expires must be at least 1 minute; got "${value}".`);
  }
  return seconds;
}

/** "3" -> 3, "unlimited" -> null (until it expires). */
export function parseViews(value: string): number | null {
  const text = value.trim().toLowerCase();
  if (text === "unlimited") return null;
  if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > MAX_VIEWS) {
    throw new UsageError(
      `--views must be a number from 1 to ${MAX_VIEWS} or "unlimited"; got "${value}".`,
    );
  }
  return Number(text);
}

/** 3600 -> "1 hour", 90 -> "90 seconds": the largest unit that divides evenly (days, like the UI). */
export function formatDuration(seconds: number): string {
  const units: [string, number][] = [
    ["day", 86_400],
    ["hour", 3600],
    ["minute", 60],
    ["second", 1],
  ];
  for (const [name, size] of units) {
    if (seconds >= size && seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${name}${n === 1 ? "" : "s"}`;
    }
  }
  return `${seconds} seconds`;
}

/** "3 views" / "1 view" / "unlimited views". */
export function formatViews(views: number | null): string {
  if (views === null) return "unlimited views until it expires";
  return `${views} view${views === 1 ? "" : "s"}`;
}
