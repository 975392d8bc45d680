/**
 * Questions on the terminal without echo (passwords, tokens). The secret itself may be arriving on
 * stdin, so the prompt reads /dev/tty when there is one, and falls back to stdin when that is a
 * terminal (Windows). Scripts pass HUSHLINK_PASSWORD instead.
 */
import { closeSync, openSync } from "node:fs";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { ReadStream, WriteStream } from "node:tty";

import { DEFAULT_KDF, derivePasswordKeys, type KdfParams } from "@hushlink/protocol";

import type { Context } from "./context.js";
import { CliError, EXIT } from "./errors.js";

interface Terminal {
  input: NodeJS.ReadableStream & { setRawMode?: (mode: boolean) => unknown };
  output: NodeJS.WritableStream;
  close(): void;
}

function openTerminal(ctx: Context, stdinFree: boolean): Terminal | null {
  let readFd: number | null = null;
  let writeFd: number | null = null;
  try {
    readFd = openSync("/dev/tty", "r");
    writeFd = openSync("/dev/tty", "w");
    const input = new ReadStream(readFd);
    const output = new WriteStream(writeFd);
    return {
      input,
      output,
      close() {
        input.setRawMode(false);
        input.destroy();
        output.destroy();
      },
    };
  } catch {
    if (readFd !== null) closeSync(readFd);
    if (writeFd !== null) closeSync(writeFd);
  }
  if (stdinFree && ctx.stdin.isTTY) {
    return { input: ctx.stdin, output: ctx.stderr, close: () => ctx.stdin.pause() };
  }
  return null;
}

export class NoTerminalError extends CliError {}

/** Asks `question` on the terminal and reads one line without echoing it. */
export async function askHidden(
  ctx: Context,
  question: string,
  options: { stdinFree?: boolean; what: string },
): Promise<string> {
  const terminal = openTerminal(ctx, options.stdinFree ?? false);
  if (!terminal) throw new NoTerminalError(`No terminal to ask for the ${options.what}.`);
  let muted = false;
  // readline echoes what is typed to its output; this output forwards the question and drops the rest.
  const output = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      if (!muted) terminal.output.write(chunk);
      callback();
    },
  });
  const rl = createInterface({ input: terminal.input, output, terminal: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      let answered = false;
      rl.on("line", (line) => {
        answered = true;
        resolve(line);
      });
      rl.on("SIGINT", () => reject(new CliError("Interrupted.", EXIT.interrupted)));
      rl.on("close", () => {
        if (!answered) reject(new CliError(`No ${options.what} given.`, EXIT.interrupted));
      });
      terminal.output.write(question);
      muted = true;
    });
  } finally {
    terminal.output.write("\n");
    rl.close();
    terminal.close();
  }
}

/**
 * The password for a share: HUSHLINK_PASSWORD when set (scripts), otherwise asked on the terminal,
 * twice when creating so a typo does not lock the secret away.
 */
export async function readPassword(
  ctx: Context,
  options: { confirm: boolean; stdinFree: boolean; exitCode: number },
): Promise<string> {
  const fromEnv = ctx.env.HUSHLINK_PASSWORD;
  if (fromEnv !== undefined) {
    if (fromEnv === "") throw new CliError("HUSHLINK_PASSWORD is set but empty.", options.exitCode);
    return fromEnv;
  }
  let password: string;
  try {
    password = await askHidden(ctx, "Password: ", {
      stdinFree: options.stdinFree,
      what: "password",
    });
  } catch (error) {
    if (error instanceof NoTerminalError) {
      throw new CliError(
        "A password is needed and there is no terminal to ask for it: set HUSHLINK_PASSWORD.",
        options.exitCode,
      );
    }
    throw error;
  }
  if (password === "") throw new CliError("The password is empty.", options.exitCode);
  if (options.confirm) {
    const again = await askHidden(ctx, "Password again: ", {
      stdinFree: options.stdinFree,
      what: "password",
    });
    if (again !== password) throw new CliError("The passwords do not match.", options.exitCode);
  }
  return password;
}

/**
 * The password keys of a share that has a password, asked for on the terminal or taken from
 * HUSHLINK_PASSWORD (get and delete alike); undefined for a share without one.
 */
export async function sharePasswordKeys(
  ctx: Context,
  linkSecret: string,
  metadata: { requiresPassword: boolean; kdf?: KdfParams | undefined },
) {
  if (!metadata.requiresPassword) return undefined;
  const password = await readPassword(ctx, {
    confirm: false,
    stdinFree: true,
    exitCode: EXIT.password,
  });
  return derivePasswordKeys(linkSecret, password, metadata.kdf ?? DEFAULT_KDF);
}
