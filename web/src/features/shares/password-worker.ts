import type { KdfParams, SealedShare, ShareFile } from "@hushlink/protocol/client";

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
