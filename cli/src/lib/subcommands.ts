import type { Context } from "./context.js";
import { EXIT, UsageError } from "./errors.js";
import { suggestion } from "./suggest.js";

/**
 * A command made of subcommands (`hushlink audit export`): no subcommand prints the help on
 * stderr (a usage error), `help` prints it on stdout, an unknown one is refused with a suggestion.
 */
export function runSubcommand(
  ctx: Context,
  args: string[],
  command: { name: string; help: string },
  table: Record<string, (ctx: Context, args: string[]) => Promise<number>>,
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined) {
    ctx.stderr.write(command.help);
    return Promise.resolve(EXIT.usage);
  }
  if (sub === "-h" || sub === "--help" || sub === "help") {
    ctx.stdout.write(command.help);
    return Promise.resolve(EXIT.ok);
  }
  const run = Object.hasOwn(table, sub) ? table[sub] : undefined;
  if (!run) {
    const names = Object.keys(table);
    throw new UsageError(
      `Unknown ${command.name} command "${sub}": use ${names.join(", ")}.${suggestion(sub, names)}`,
      command.name,
    );
  }
  return run(ctx, rest);
}
