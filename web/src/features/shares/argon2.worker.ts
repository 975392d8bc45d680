/**
 * Argon2id (64 MiB, about a second) off the main thread, so the page keeps painting its progress
 * text while a password is stretched. One worker per job; the caller terminates it afterwards,
 * which returns its memory.
 */
import { derivePasswordKeys, seal } from "@hushlink/protocol/client";

import type { WorkerRequest, WorkerResponse } from "./password-worker";

function reply(message: WorkerResponse): void {
  postMessage(message);
}

addEventListener("message", (event: MessageEvent<WorkerRequest>) => {
  const job = event.data;
  const run =
    job.op === "derive"
      ? derivePasswordKeys(job.linkSecret, job.password, job.kdf).then(
          ({ passwordKey, verifier }): WorkerResponse => ({
            ok: true,
            op: "derive",
            passwordKey,
            verifier,
          }),
        )
      : seal(job.text, {
          password: job.password,
          kdf: job.kdf,
          note: job.note,
          files: job.files,
        }).then((sealed): WorkerResponse => ({
          ok: true,
          op: "seal",
          sealed,
        }));
  run.then(reply, (error: unknown) =>
    reply({
      ok: false,
      // Rare (the hashing itself failed) and not translated: a worker has no message catalogs.
      // eslint-disable-next-line lingui/no-unlocalized-strings
      message: error instanceof Error ? error.message : "Password hashing failed",
    }),
  );
});
