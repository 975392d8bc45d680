/**
 * Protocol v1 known-answer vectors, computed by the protocol client inside Chromium under the
 * production CSP. The bundle is built by global setup from protocol/src/client.ts and served to
 * the page through request interception, so nothing test-only exists in web/dist or the server.
 */
import type * as Protocol from "@hushlink/protocol/client";
import { readFileSync } from "node:fs";

import { VECTORS_FILE } from "../fixtures/paths.js";
import { expect, test } from "../fixtures/test.js";
import { openVectorsPage } from "../fixtures/vectors-page.js";

const { vectors } = JSON.parse(readFileSync(VECTORS_FILE, "utf8")) as Protocol.ShareVectorsFile;

test.describe("protocol v1 vectors in Chromium", () => {
  test.beforeEach(({ page, request }) => openVectorsPage(page, request));

  for (const vector of vectors) {
    test(vector.name, async ({ page }) => {
      const got = await page.evaluate(async (v) => {
        const P = (window as unknown as { HushlinkProtocol: typeof Protocol }).HushlinkProtocol;
        const b64 = P.toBase64Url;
        const keys = await P.deriveLinkKeys(v.linkSecret);
        const pw =
          v.password !== undefined && v.kdf
            ? await P.derivePasswordKeys(v.linkSecret, v.password, v.kdf)
            : undefined;
        const sealed = await P.seal(v.text, {
          linkSecret: v.linkSecret,
          iv: v.iv,
          ...(v.password !== undefined ? { password: v.password, kdf: v.kdf } : {}),
        });
        const contentKey = await P.deriveContentKey(v.linkSecret, pw?.passwordKey);
        return {
          link: P.shareLink("https://hushlink.example/", v.linkSecret),
          linkSecret: P.linkSecretFrom(v.link),
          id: keys.id,
          viewToken: keys.viewToken,
          viewTokenSha256: b64(await P.sha256(P.fromBase64Url(keys.viewToken))),
          salt: pw?.salt,
          passwordKey: pw ? b64(pw.passwordKey) : undefined,
          verifier: pw?.verifier,
          verifierSha256: pw ? b64(await P.sha256(P.fromBase64Url(pw.verifier))) : undefined,
          contentKey: b64(contentKey),
          ciphertext: sealed.body.ciphertext,
          sealedId: sealed.body.id,
          sealedVerifier: sealed.body.password?.verifier,
          opened: await P.open(v.linkSecret, sealed.body, pw?.passwordKey),
        };
      }, vector);

      expect(got).toEqual({
        link: vector.link,
        linkSecret: vector.linkSecret,
        id: vector.id,
        viewToken: vector.viewToken,
        viewTokenSha256: vector.viewTokenSha256,
        salt: vector.salt,
        passwordKey: vector.passwordKey,
        verifier: vector.verifier,
        verifierSha256: vector.verifierSha256,
        contentKey: vector.contentKey,
        ciphertext: vector.ciphertext,
        sealedId: vector.id,
        sealedVerifier: vector.verifier,
        opened: vector.text,
      });
    });
  }
});
