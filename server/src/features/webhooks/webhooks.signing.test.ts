import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";

import { newSigningSecret, signatureOf, signedHeaders } from "./webhooks.signing.js";

describe("Standard Webhooks signatures", () => {
  it("reproduces the scheme's published example", () => {
    // The example of the Standard Webhooks specification and its reference libraries' tests.
    expect(
      signatureOf(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330,
        '{"test": 2432232314}',
      ),
    ).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  });

  it("verifies with the published library, and fails it when anything changes", () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const body = JSON.stringify({ type: "share.created", data: { seq: 1 } });
    const headers = signedHeaders(secret, "msg_1", Date.now(), body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(headers["webhook-signature"]).toBe(
      new Webhook(secret).sign(
        "msg_1",
        new Date(Number(headers["webhook-timestamp"]) * 1000),
        body,
      ),
    );
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, "webhook-id": "msg_2" })).toThrow();
  });

  it("is verified by the recipe docs/webhooks.md gives receivers", async () => {
    const doc = await readFile(new URL("../../../../docs/webhooks.md", import.meta.url), "utf8");
    const recipe = /```js\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(recipe).toContain("verifyHushlinkWebhook");
    const dir = await mkdtemp(join(tmpdir(), "hushlink-webhook-doc-"));
    const file = join(dir, "verify.mjs");
    await writeFile(file, recipe!);
    const { verifyHushlinkWebhook: verify } = (await import(pathToFileURL(file).href)) as {
      verifyHushlinkWebhook: (
        secret: string,
        headers: Record<string, string>,
        body: string,
        nowSeconds?: number,
      ) => boolean;
    };
    await rm(dir, { recursive: true });

    const secret = newSigningSecret();
    const body = JSON.stringify({ type: "share.created", data: { seq: 7 } });
    const sentAt = Date.UTC(2026, 11, 6, 9, 0, 0);
    const headers = signedHeaders(secret, "msg_doc", sentAt, body);
    const now = sentAt / 1000 + 30;
    expect(verify(secret, headers, body, now)).toBe(true);
    // One signature of several, as the scheme allows while a secret is being replaced.
    const two = { ...headers, "webhook-signature": `v1,AAAA ${headers["webhook-signature"]}` };
    expect(verify(secret, two, body, now)).toBe(true);
    expect(verify(secret, headers, `${body} `, now)).toBe(false);
    expect(verify(newSigningSecret(), headers, body, now)).toBe(false);
    expect(verify(secret, { ...headers, "webhook-id": "msg_other" }, body, now)).toBe(false);
    expect(verify(secret, headers, body, now + 10 * 60)).toBe(false);
  });
});
