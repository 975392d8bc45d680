import {
  recipientShareFrom,
  type KdfParams,
  type SealedForRecipients,
  type SealedShare,
  type ShareFile,
} from "@hushlink/protocol/client";

export type WorkerRequest =
  | { op: "derive"; linkSecret: string; password: string; kdf: KdfParams }
  | {
      op: "seal";
      text: string;
      note?: string;
      files?: ShareFile[];
      password: string;
      kdf?: KdfParams;
    };

export type WorkerResponse =
  | { ok: true; op: "derive"; passwordKey: Uint8Array; verifier: string }
  | { ok: true; op: "seal"; sealed: SealedShare }
  | { ok: false; message: string };

function run(job: WorkerRequest): Promise<WorkerResponse & { ok: true }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./argon2.worker.ts", import.meta.url), { type: "module" });
    const finish = () => worker.terminate();
    worker.addEventListener("message", (event: MessageEvent<WorkerResponse>) => {
      finish();
      const answer = event.data;
      if (answer.ok) resolve(answer);
      else reject(new Error(answer.message));
    });
    worker.addEventListener("error", () => {
      finish();
      reject(new Error("The password could not be processed in this browser."));
    });
    worker.postMessage(job);
  });
}

/** Argon2id password key and verifier for revealing, computed in a worker. */
export async function derivePasswordKeysInWorker(
  linkSecret: string,
  password: string,
  kdf: KdfParams,
): Promise<{ passwordKey: Uint8Array; verifier: string }> {
  const answer = await run({ op: "derive", linkSecret, password, kdf });
  if (answer.op !== "derive") throw new Error("Unexpected worker answer");
  return { passwordKey: answer.passwordKey, verifier: answer.verifier };
}

/** `seal` with a password, in a worker because of Argon2id. */
export async function sealInWorker(
  text: string,
  password: string,
  note?: string,
  files: ShareFile[] = [],
): Promise<SealedShare> {
  const answer = await run({ op: "seal", text, password, ...(note ? { note } : {}), files });
  if (answer.op !== "seal") throw new Error("Unexpected worker answer");
  return answer.sealed;
}

/**
 * `sealForRecipients` with a password (F14): one Argon2id run per recipient, since each link's
 * salt comes from its own link secret. They run in parallel workers, as many as the device has
 * cores (at most four, 64 MiB each), so two recipients cost about one run on most machines.
 */
export async function sealForRecipientsInWorkers(
  text: string,
  emails: string[],
  password: string,
  note?: string,
  files: ShareFile[] = [],
): Promise<SealedForRecipients> {
  const parallel = Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
  const sealed: SealedShare[] = new Array<SealedShare>(emails.length);
  let next = 0;
  async function lane() {
    while (next < emails.length) {
      const index = next++;
      sealed[index] = await sealInWorker(text, password, note, files);
    }
  }
  await Promise.all(Array.from({ length: Math.min(parallel, emails.length) }, lane));
  // Assembled as the protocol's sealForRecipients does: the files' blobs once, for every link.
  return recipientShareFrom(emails, sealed);
}
