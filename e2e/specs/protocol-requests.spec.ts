/**
 * Protocol v1 end-to-end requests (SPEC §3.2) in Chromium: the `requests` vectors of
 * protocol-v1-ext-vectors.json reproduced by the protocol client under the production CSP (the
 * same bundle and page as protocol-vectors.spec.ts): key pair from the scalar, wrapped scalar,
 * fingerprint, ECDH + HKDF + AES-GCM answer, and the requester opening it; then the refusals.
 */
import type * as Protocol from "@hushlink/protocol/client";
import { readFileSync } from "node:fs";

import { EXT_VECTORS_FILE } from "../fixtures/paths.js";
import { expect, test } from "../fixtures/test.js";
import { openVectorsPage } from "../fixtures/vectors-page.js";

const { requests } = JSON.parse(readFileSync(EXT_VECTORS_FILE, "utf8")) as Protocol.ExtVectorsFile;

type P = typeof Protocol;

test.describe("protocol v1 request vectors in Chromium", () => {
  test.beforeEach(({ page, request }) => openVectorsPage(page, request));

  for (const vector of requests) {
    test(vector.name, async ({ page }) => {
      const got = await page.evaluate(async (v) => {
        const P = (window as unknown as { HushlinkProtocol: P }).HushlinkProtocol;
        const b64 = P.toBase64Url;
        const reading = await P.deriveReadingKeys(v.readingSecret);
        const keys = await P.createRequestKeys({
          readingSecret: v.readingSecret,
          privateScalar: v.requesterPrivateScalar,
          keyIv: v.keyIv,
        });
        const payload = P.parsePayload(JSON.parse(v.plaintext));
        if (!payload) throw new Error("the vector's plaintext is not a payload");
        const sealed = await P.sealAnswer(v.publicKey, payload, {
          ephemeralScalar: v.ephemeralPrivateScalar,
          iv: v.iv,
        });
        const ikm = P.concatBytes(
          P.fromBase64Url(v.sharedSecret),
          P.fromBase64Url(v.ephemeralPublicKey),
          P.fromBase64Url(v.publicKey),
        );
        return {
          readToken: reading.readToken,
          readTokenSha256: b64(await P.sha256(P.fromBase64Url(reading.readToken))),
          wrapKey: b64(reading.wrapKey),
          publicKey: keys.body.publicKey,
          encryptedPrivateKey: keys.body.encryptedPrivateKey,
          fingerprint: keys.fingerprint,
          unwrapped: b64(await P.unwrapRequestKey(v.readingSecret, keys.body)),
          requestLink: P.requestLink("https://hushlink.example/", "REQUEST_ID", keys.fingerprint),
          readingLink: P.readingLink("https://hushlink.example/", "REQUEST_ID", v.readingSecret),
          key: b64(await P.hkdf(ikm, "hushlink/v1/request", 32)),
          ephemeralPublicKey: sealed.ephemeralPublicKey,
          ciphertext: sealed.ciphertext,
          opened: P.payloadJson(await P.openAnswer(v.readingSecret, keys.body, sealed)),
        };
      }, vector);
      expect(got).toEqual({
        readToken: vector.readToken,
        readTokenSha256: vector.readTokenSha256,
        wrapKey: vector.wrapKey,
        publicKey: vector.publicKey,
        encryptedPrivateKey: vector.encryptedPrivateKey,
        fingerprint: vector.fingerprint,
        unwrapped: vector.requesterPrivateScalar,
        requestLink: vector.requestLink,
        readingLink: vector.readingLink,
        key: vector.key,
        ephemeralPublicKey: vector.ephemeralPublicKey,
        ciphertext: vector.ciphertext,
        opened: vector.plaintext,
      });
    });
  }

  test("a wrong reading secret, a swapped key and an off-curve point are refused", async ({
    page,
  }) => {
    const [first, second] = requests as [Protocol.RequestVector, Protocol.RequestVector];
    const outcomes = await page.evaluate(
      async ([a, b]) => {
        const P = (window as unknown as { HushlinkProtocol: P }).HushlinkProtocol;
        const attempt = async (run: () => Promise<unknown>) => {
          try {
            await run();
            return "accepted";
          } catch (error) {
            return (error as Error).name;
          }
        };
        const answer = {
          ephemeralPublicKey: a.ephemeralPublicKey,
          ciphertext: a.ciphertext,
          iv: a.iv,
        };
        const offCurve = P.fromBase64Url(a.publicKey);
        offCurve[64]! ^= 1;
        const fresh = await P.createRequestKeys();
        const sealed = await P.sealAnswer(fresh.body.publicKey, { text: "fresh" });
        return {
          wrongSecret: await attempt(() => P.openAnswer(b.readingSecret, a, answer)),
          swappedKey: await attempt(() => P.checkFingerprint(b.publicKey, a.fingerprint)),
          rightKey: await attempt(() => P.checkFingerprint(a.publicKey, a.fingerprint)),
          offCurve: await P.isRequestPublicKey(P.toBase64Url(offCurve)),
          onCurve: await P.isRequestPublicKey(a.publicKey),
          fresh: (await P.openAnswer(fresh.readingSecret, fresh.body, sealed)).text,
        };
      },
      [first, second] as const,
    );
    expect(outcomes).toEqual({
      wrongSecret: "RequestKeyError",
      swappedKey: "FingerprintMismatchError",
      rightKey: "accepted",
      offCurve: false,
      onCurve: true,
      fresh: "fresh",
    });
  });
});
