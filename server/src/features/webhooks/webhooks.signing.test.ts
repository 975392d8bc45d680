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
});
