import { describe, expect, it } from "vitest";

import vectorsFile from "../test-vectors/protocol-v1-ext-vectors.json" with { type: "json" };
import { DecryptionError, hkdf, sha256 } from "./crypto.js";
import { concatBytes, fromBase64Url, toBase64Url } from "./encoding.js";
import { InvalidLinkError } from "./link.js";
import { parsePayload } from "./payload.js";
import {
  checkFingerprint,
  createRequestKeys,
  deriveReadingKeys,
  FingerprintMismatchError,
  isRequestPublicKey,
  linksOfCreatedRequest,
  openAnswer,
  parseReadingLink,
  readingLink,
  requestFingerprint,
  requestLink,
  RequestKeyError,
  sealAnswer,
  unwrapRequestKey,
} from "./requests.js";

// The JSON import types each vector; every field is a string.
const { requests } = vectorsFile;
type RequestVector = (typeof requests)[number];
const b64 = toBase64Url;
const PUBLIC_URL = "https://hushlink.example/";

describe("protocol v1 request vectors (§3.2)", () => {
  it("has the two published vectors", () => {
    expect(requests.map((v) => v.name)).toEqual(["text answer", "unicode answer with a file"]);
  });

  describe.each(requests)("$name", (v) => {
    it("derives the read token, its hash and the wrap key from R", async () => {
      const { readToken, wrapKey } = await deriveReadingKeys(v.readingSecret);
      expect(readToken).toBe(v.readToken);
      expect(b64(wrapKey)).toBe(v.wrapKey);
      expect(b64(await sha256(fromBase64Url(readToken)))).toBe(v.readTokenSha256);
    });

    it("makes the key pair, wraps the scalar and fingerprints the public key", async () => {
      const keys = await createRequestKeys({
        readingSecret: v.readingSecret,
        privateScalar: v.requesterPrivateScalar,
        keyIv: v.keyIv,
      });
      expect(keys).toEqual({
        readingSecret: v.readingSecret,
        fingerprint: v.fingerprint,
        body: {
          publicKey: v.publicKey,
          encryptedPrivateKey: v.encryptedPrivateKey,
          keyIv: v.keyIv,
          readToken: v.readToken,
        },
      });
      expect(await requestFingerprint(v.publicKey)).toBe(v.fingerprint);
      expect(b64(await unwrapRequestKey(v.readingSecret, keys.body))).toBe(
        v.requesterPrivateScalar,
      );
    });

    it("builds both links and parses the reading link", () => {
      const id = "REQUEST_ID";
      expect(requestLink(PUBLIC_URL, id, v.fingerprint)).toBe(v.requestLink);
      expect(readingLink(PUBLIC_URL, id, v.readingSecret)).toBe(v.readingLink);
      const realId = "AAAAAAAAAAAAAAAAAAAAAA";
      expect(parseReadingLink(readingLink(PUBLIC_URL, realId, v.readingSecret))).toEqual({
        id: realId,
        readingSecret: v.readingSecret,
      });
    });

    it("builds both links of a created request from the server's url for it", () => {
      const id = "REQUEST_ID";
      // The server's answer spells its public address without the trailing slash.
      const created = { id, url: `${PUBLIC_URL.replace(/\/$/, "")}/r/${id}` };
      expect(linksOfCreatedRequest(created, v)).toEqual({
        requestLink: v.requestLink,
        readingLink: v.readingLink,
      });
      // A public address with a path keeps it.
      expect(linksOfCreatedRequest({ id, url: `https://example.test/hl/r/${id}` }, v)).toEqual({
        requestLink: `https://example.test/hl/r/${id}#${v.fingerprint}`,
        readingLink: `https://example.test/hl/r/${id}/open#${v.readingSecret}`,
      });
    });

    it("seals the answer to the exact ciphertext, and the requester opens it", async () => {
      const payload = parsePayload(JSON.parse(v.plaintext));
      expect(payload).not.toBeNull();
      const sealed = await sealAnswer(v.publicKey, payload!, {
        ephemeralScalar: v.ephemeralPrivateScalar,
        iv: v.iv,
      });
      expect(sealed).toEqual({
        ephemeralPublicKey: v.ephemeralPublicKey,
        ciphertext: v.ciphertext,
        iv: v.iv,
      });
      const opened = await openAnswer(v.readingSecret, v, sealed);
      expect(opened).toEqual(payload);
    });

    it("agrees on Z and the answer key (HKDF over Z ‖ ephemeral ‖ public)", async () => {
      // The intermediate values, recomputed from the vector's own inputs.
      const ikm = concatBytes(
        fromBase64Url(v.sharedSecret),
        fromBase64Url(v.ephemeralPublicKey),
        fromBase64Url(v.publicKey),
      );
      expect(b64(await hkdf(ikm, "hushlink/v1/request", 32))).toBe(v.key);
      const z = await ecdhRaw(v.ephemeralPrivateScalar, v.ephemeralPublicKey, v.publicKey);
      expect(z).toBe(v.sharedSecret);
      const zBack = await ecdhRaw(v.requesterPrivateScalar, v.publicKey, v.ephemeralPublicKey);
      expect(zBack).toBe(v.sharedSecret);
    });
  });

  const [first, second] = requests as [RequestVector, RequestVector];

  it("a wrong reading secret fails to unwrap, and so fails to open", async () => {
    await expect(unwrapRequestKey(second.readingSecret, first)).rejects.toBeInstanceOf(
      RequestKeyError,
    );
    const answer = {
      ephemeralPublicKey: first.ephemeralPublicKey,
      ciphertext: first.ciphertext,
      iv: first.iv,
    };
    await expect(openAnswer(second.readingSecret, first, answer)).rejects.toBeInstanceOf(
      RequestKeyError,
    );
  });

  it("an altered answer or an answer to another key fails to decrypt", async () => {
    const tampered = (first.ciphertext[0] === "A" ? "B" : "A") + first.ciphertext.slice(1);
    const answer = {
      ephemeralPublicKey: first.ephemeralPublicKey,
      ciphertext: tampered,
      iv: first.iv,
    };
    await expect(openAnswer(first.readingSecret, first, answer)).rejects.toBeInstanceOf(
      DecryptionError,
    );
    const toOther = await sealAnswer(second.publicKey, { text: "meant for the other request" });
    await expect(openAnswer(first.readingSecret, first, toOther)).rejects.toBeInstanceOf(
      DecryptionError,
    );
  });

  it("a swapped public key fails the fingerprint check", async () => {
    await expect(checkFingerprint(first.publicKey, first.fingerprint)).resolves.toBeUndefined();
    await expect(checkFingerprint(second.publicKey, first.fingerprint)).rejects.toBeInstanceOf(
      FingerprintMismatchError,
    );
  });

  it("round-trips with fresh randomness", async () => {
    const keys = await createRequestKeys();
    expect(fromBase64Url(keys.readingSecret)).toHaveLength(32);
    expect(fromBase64Url(keys.body.publicKey)).toHaveLength(65);
    expect(fromBase64Url(keys.body.encryptedPrivateKey)).toHaveLength(48);
    await checkFingerprint(keys.body.publicKey, keys.fingerprint);
    const sealed = await sealAnswer(keys.body.publicKey, { text: "hunter2" });
    expect(await openAnswer(keys.readingSecret, keys.body, sealed)).toEqual({ text: "hunter2" });
  });

  it("tells P-256 points from other 65-byte values", async () => {
    expect(await isRequestPublicKey(first.publicKey)).toBe(true);
    const offCurve = fromBase64Url(first.publicKey);
    offCurve[64]! ^= 1;
    expect(await isRequestPublicKey(b64(offCurve))).toBe(false);
    const compressedTag = fromBase64Url(first.publicKey);
    compressedTag[0] = 2;
    expect(await isRequestPublicKey(b64(compressedTag))).toBe(false);
    expect(await isRequestPublicKey(b64(new Uint8Array(65)))).toBe(false);
    expect(await isRequestPublicKey(first.publicKey.slice(0, 40))).toBe(false);
    expect(await isRequestPublicKey("not base64url!")).toBe(false);
  });

  it("refuses reading links without a 32-byte secret", () => {
    for (const bad of [
      "https://hushlink.example/r/AAAAAAAAAAAAAAAAAAAAAA/open",
      "https://hushlink.example/r/AAAAAAAAAAAAAAAAAAAAAA/open#short",
      `https://hushlink.example/r/AAAAAAAAAAAAAAAAAAAAAA#${first.readingSecret}`,
      first.readingSecret,
    ]) {
      expect(() => parseReadingLink(bad)).toThrow(InvalidLinkError);
    }
  });
});

/** Z computed with WebCrypto straight from a scalar and both points (JWK import). */
async function ecdhRaw(scalar: string, ownPublic: string, peerPublic: string): Promise<string> {
  const own = fromBase64Url(ownPublic);
  const curve = { name: "ECDH", namedCurve: "P-256" } as const;
  const privateKey = await crypto.subtle.importKey(
    "jwk",
    {
      kty: "EC",
      crv: "P-256",
      d: scalar,
      x: b64(own.subarray(1, 33)),
      y: b64(own.subarray(33)),
    },
    curve,
    false,
    ["deriveBits"],
  );
  const peer = await crypto.subtle.importKey(
    "raw",
    new Uint8Array(fromBase64Url(peerPublic)),
    curve,
    false,
    [],
  );
  return b64(
    new Uint8Array(await crypto.subtle.deriveBits({ name: "ECDH", public: peer }, privateKey, 256)),
  );
}
