/**
 * Protocol v1 files (SPEC §3.1) in Chromium: the known-answer vectors of
 * protocol-v1-ext-vectors.json reproduced by the protocol client's streaming chunk encryption,
 * under the production CSP (the same bundle and page as protocol-vectors.spec.ts), and a blob
 * with two chunks swapped, a byte flipped or its last chunk dropped refused by the decryption,
 * whole and as a download's body (decryptBody, the page's download).
 */
import type * as Protocol from "@hushlink/protocol/client";
import { readFileSync } from "node:fs";

import { EXT_VECTORS_FILE } from "../fixtures/paths.js";
import { expect, test } from "../fixtures/test.js";
import { openVectorsPage } from "../fixtures/vectors-page.js";

const { files } = JSON.parse(readFileSync(EXT_VECTORS_FILE, "utf8")) as Protocol.ExtVectorsFile;

type P = typeof Protocol;

test.describe("protocol v1 file vectors in Chromium", () => {
  test.beforeEach(({ page, request }) => openVectorsPage(page, request));

  for (const vector of files) {
    test(vector.name, async ({ page }) => {
      const got = await page.evaluate(async (v) => {
        const P = (window as unknown as { HushlinkProtocol: P }).HushlinkProtocol;
        const b64 = P.toBase64Url;
        const plaintext = new Uint8Array(v.size);
        if (v.plaintext !== undefined) plaintext.set(P.fromBase64Url(v.plaintext));
        else for (let i = 0; i < v.size; i++) plaintext[i] = (i * 7 + 3) % 256;
        const key = P.fromBase64Url(v.key);
        const source = new ReadableStream<Uint8Array>({
          start(controller) {
            // Odd pieces, so chunk boundaries never line up with the input.
            for (let at = 0; at < plaintext.length; at += 77_777) {
              controller.enqueue(plaintext.slice(at, at + 77_777));
            }
            controller.close();
          },
        });
        const chunks: Protocol.EncryptedChunk[] = [];
        await P.eachOf(source.pipeThrough(P.encryptStream(key)), (c) => chunks.push(c));
        const blob = new Uint8Array(chunks.reduce((n, c) => n + c.bytes.length, 0));
        let offset = 0;
        for (const c of chunks) {
          blob.set(c.bytes, offset);
          offset += c.bytes.length;
        }
        const opened = await P.decryptFile(key, blob);
        return {
          plaintextSha256: b64(await P.sha256(plaintext)),
          encryptedSize: P.encryptedSize(v.size),
          chunks: await Promise.all(
            chunks.map(async (c) => ({
              n: c.index,
              iv: b64(P.chunkIv(c.index, c.last)),
              plaintextBytes: c.bytes.length - 16,
              encryptedBytes: c.bytes.length,
              encryptedSha256: b64(await P.sha256(c.bytes)),
              tag: b64(c.bytes.subarray(c.bytes.length - 16)),
              ...(c.bytes.length <= 64 ? { encrypted: b64(c.bytes) } : {}),
            })),
          ),
          openedSha256: b64(await P.sha256(opened)),
        };
      }, vector);
      expect(got).toEqual({
        plaintextSha256: vector.plaintextSha256,
        encryptedSize: vector.encryptedSize,
        chunks: vector.chunks,
        openedSha256: vector.plaintextSha256,
      });
    });
  }

  test("swapped, altered, dropped and truncated chunks fail to decrypt, whole and as a body", async ({
    page,
  }) => {
    const outcomes = await page.evaluate(async () => {
      const P = (window as unknown as { HushlinkProtocol: P }).HushlinkProtocol;
      const key = P.randomBytes(32);
      // getRandomValues gives at most 64 KiB at a time: a pattern serves as well here.
      const plaintext = new Uint8Array(2 * P.FILE_CHUNK_BYTES + 10).map((_, i) => (i * 13) % 251);
      const blob = await P.encryptFile(key, plaintext);
      const full = P.ENCRYPTED_CHUNK_BYTES;
      const [a, b, c] = [blob.slice(0, full), blob.slice(full, 2 * full), blob.slice(2 * full)];
      const join = (...parts: Uint8Array[]) => {
        const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) {
          out.set(p, at);
          at += p.length;
        }
        return out;
      };
      const flipped = blob.slice();
      flipped[full + 5]! ^= 1;
      // Whole, and as a download's body (a byte stream here as from fetch: decryptBody's BYOB reads).
      const whole = (bytes: Uint8Array) => P.decryptFile(key, bytes);
      const asBody = async (bytes: Uint8Array) => {
        const body = new Response(bytes as Uint8Array<ArrayBuffer>).body!;
        const out = P.decryptBody(body, key, { parallel: 4, expectedSize: plaintext.length });
        const parts: Uint8Array[] = [];
        await P.eachOf(out, (part) => parts.push(part));
        return join(...parts);
      };
      const tryAll = async (open: (bytes: Uint8Array) => Promise<Uint8Array>) => {
        const attempt = async (bytes: Uint8Array) => {
          try {
            const opened = await open(bytes);
            return P.toBase64Url(await P.sha256(opened));
          } catch (error) {
            return (error as Error).name;
          }
        };
        return {
          untouched:
            (await attempt(blob)) === P.toBase64Url(await P.sha256(plaintext)) ? "opened" : "wrong",
          swapped: await attempt(join(b, a, c)),
          flipped: await attempt(flipped),
          dropped: await attempt(join(a, b)),
          truncated: await attempt(join(a, b, c.subarray(0, c.length - 1))),
        };
      };
      let byteStream = true;
      try {
        new Response(new Uint8Array(1)).body!.getReader({ mode: "byob" });
      } catch {
        byteStream = false;
      }
      return { whole: await tryAll(whole), body: await tryAll(asBody), byteStream };
    });
    const refused = {
      untouched: "opened",
      swapped: "FileDecryptionError",
      flipped: "FileDecryptionError",
      dropped: "FileDecryptionError",
      truncated: "FileDecryptionError",
    };
    expect(outcomes).toEqual({ whole: refused, body: refused, byteStream: true });
  });
});
