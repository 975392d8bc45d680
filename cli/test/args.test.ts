import { parseArgs } from "node:util";

import { describe, expect, it } from "vitest";

import {
  commandArgs,
  COMMON_OPTIONS,
  formatDuration,
  parseCommandArgs,
  parseExpiry,
  parseViews,
  positionals,
} from "../src/lib/args.js";
import { EXIT, UsageError } from "../src/lib/errors.js";

describe("parseExpiry", () => {
  it.each([
    ["5m", 300],
    ["30m", 1800],
    ["1h", 3600],
    ["1d", 86_400],
    ["7d", 604_800],
    ["14d", 1_209_600],
    ["30d", 2_592_000],
    ["90s", 90],
    ["2w", 1_209_600],
    ["1H", 3600],
    [" 1d ", 86_400],
  ])("reads %s as %i seconds", (text, seconds) => {
    expect(parseExpiry(text)).toBe(seconds);
  });

  it.each(["", "1", "60", "1.5h", "-1h", "1y", "h", "1 day", "59s", "0m", "12345678d"])(
    "refuses %j with a usage error",
    (text) => {
      expect(() => parseExpiry(text)).toThrow(UsageError);
    },
  );

  it("names the documented choices in its message", () => {
    expect(() => parseExpiry("soon")).toThrow(/5m, 30m, 1h, 1d, 7d, 14d, 30d/);
  });
});

describe("parseViews", () => {
  it.each([
    ["1", 1],
    ["3", 3],
    ["1000", 1000],
    ["unlimited", null],
    ["Unlimited", null],
  ])("reads %s", (text, views) => {
    expect(parseViews(text)).toBe(views);
  });

  it.each(["0", "1001", "-1", "2.5", "", "many", "1e3"])("refuses %j", (text) => {
    expect(() => parseViews(text)).toThrow(UsageError);
  });
});

describe("formatDuration", () => {
  it.each([
    [60, "1 minute"],
    [300, "5 minutes"],
    [3600, "1 hour"],
    [86_400, "1 day"],
    [604_800, "7 days"],
    [90, "90 seconds"],
  ])("%i seconds is %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

describe("parseCommandArgs", () => {
  const OPTIONS = {
    ...COMMON_OPTIONS,
    views: { type: "string" },
    password: { type: "boolean" },
  } as const;
  const parse = (args: string[]) =>
    parseCommandArgs("share", () => parseArgs({ args, options: OPTIONS, allowPositionals: true }));

  it("parses long, short and inline options and positionals", () => {
    const { values, positionals: rest } = parse(["--views=3", "--password", "-h", "x"]);
    expect(values).toEqual({ views: "3", password: true, help: true });
    expect(rest).toEqual(["x"]);
  });

  it("turns an unknown option into a one-line usage error for the command", () => {
    let error: unknown;
    try {
      parse(["--nope"]);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(EXIT.usage);
    expect((error as UsageError).command).toBe("share");
    expect((error as UsageError).message).toBe("Unknown option '--nope'.");
  });

  it("refuses an option without its value", () => {
    expect(() => parse(["--views"])).toThrow(UsageError);
  });
});

describe("commandArgs", () => {
  const call = {
    command: "request",
    help: "help text",
    options: { ...COMMON_OPTIONS, name: { type: "string" } },
    names: ["ID"],
  } as const;
  const out = { stdout: { write: () => undefined } };
  const dashed = "-4fZw2Qx3mJ8kL0aB9cD1e";

  it("takes an id that begins with '-' as the positional, and as an option's value", () => {
    expect(commandArgs(out, [dashed], call)?.positionals).toEqual([dashed]);
    const parsed = commandArgs(out, ["--name", dashed, "--", "--also-an-id-of-22-ch"], call);
    expect(parsed?.values).toEqual({ name: dashed });
    expect(parsed?.positionals).toEqual(["--also-an-id-of-22-ch"]);
  });

  it("still refuses an unknown option, and still reads the command's own options", () => {
    expect(() => commandArgs(out, ["-x", "id"], call)).toThrow("Unknown option '-x'.");
    expect(() => commandArgs(out, ["--nope", "id"], call)).toThrow("Unknown option '--nope'.");
    expect(commandArgs(out, ["--server", "https://a.example", "id"], call)?.values).toEqual({
      server: "https://a.example",
    });
  });
});

describe("positionals", () => {
  it("returns exactly the named arguments", () => {
    expect(positionals("get", ["u"], ["URL"])).toEqual(["u"]);
  });
  it("names the missing one", () => {
    expect(() => positionals("get", [], ["URL"])).toThrow("Missing URL.");
  });
  it("refuses extra ones", () => {
    expect(() => positionals("get", ["a", "b"], ["URL"])).toThrow('Unexpected argument "b".');
  });
  it("never repeats a link's key in the error: a second link is shown without it", () => {
    const key = "Rk3v9QmTq0m0bW1a8J2c_ARk3v9QmTq0m0bW1a8J2c";
    const call = () => positionals("get", ["a", `https://hush.example.com/s#${key}`], ["URL"]);
    expect(call).toThrow('Unexpected argument "https://hush.example.com/s#…".');
  });
});
