import { randomBytes } from "node:crypto";

import { describe, expect, it } from "vitest";

import { openValue, rewrapKey, sealValue, wrappedKeyId } from "./data-keys.js";
import { openWithRootKey, rootKeyId, SealError } from "./sealing.js";

const rootKey = Buffer.alloc(32, 9);
const context = "hushlink/requests/AAAAAAAAAAAAAAAAAAAAAA";

function sealErrorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SealError);
    return (error as SealError).code;
  }
  throw new Error("expected a SealError");
}

describe("data keys", () => {
  it("round-trips text, including non-ASCII and large values", () => {
    for (const text of ["x", "pässwörd ✓ 🔑\n\ttabs  ", "y".repeat(200_000)]) {
      expect(openValue(rootKey, sealValue(rootKey, text, context), context)).toBe(text);
    }
  });

  it("uses a fresh data key per value, wrapped by the root key and named by its id", () => {
    const a = sealValue(rootKey, "same", context);
    const b = sealValue(rootKey, "same", context);
    expect(a.value).not.toBe(b.value);
    expect(a.keyId).toBe(rootKeyId(rootKey));
    expect(wrappedKeyId(a.wrappedKey)).toBe(a.keyId);
    const keyA = openWithRootKey(rootKey, a.wrappedKey, `${context}/data_key`);
    const keyB = openWithRootKey(rootKey, b.wrappedKey, `${context}/data_key`);
    expect(Buffer.from(keyA, "base64url")).toHaveLength(32);
    expect(keyA).not.toBe(keyB);
    expect(a.value).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(a.value).not.toContain("same");
  });

  it("binds value and key to their context: moved to another row, neither opens", () => {
    const sealed = sealValue(rootKey, "bound", context);
    expect(sealErrorCode(() => openValue(rootKey, sealed, `${context}B`))).toBe("sealed_tampered");
    // The right key with a value from elsewhere: the value's own tag fails.
    const other = sealValue(rootKey, "other", context);
    expect(
      sealErrorCode(() =>
        openValue(rootKey, { value: other.value, wrappedKey: sealed.wrappedKey }, context),
      ),
    ).toBe("sealed_tampered");
  });

  it("refuses a changed value and malformed input", () => {
    const sealed = sealValue(rootKey, "hello world", context);
    const [v, iv, body] = sealed.value.split(".") as [string, string, string];
    const bytes = Buffer.from(body, "base64url");
    bytes[0] = (bytes[0] ?? 0) ^ 1;
    const changed = { ...sealed, value: [v, iv, bytes.toString("base64url")].join(".") };
    expect(sealErrorCode(() => openValue(rootKey, changed, context))).toBe("sealed_tampered");
    for (const value of [
      "",
      "v1.a",
      "v2.aaaa.bbbb",
      "v1.!!.xx",
      "v1.AAAA.AAAAAAAAAAAAAAAAAAAAAA",
    ]) {
      expect(sealErrorCode(() => openValue(rootKey, { ...sealed, value }, context))).toBe(
        "sealed_malformed",
      );
    }
  });

  it("opens under a retired root key, and re-wraps to the current one without touching the value", () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const sealed = sealValue(oldKey, "before rotation", context);
    expect(sealErrorCode(() => openValue(newKey, sealed, context))).toBe("sealed_unknown_key");
    expect(openValue([newKey, oldKey], sealed, context)).toBe("before rotation");

    const rewrapped = rewrapKey([newKey, oldKey], sealed.wrappedKey, context);
    expect(rewrapped?.keyId).toBe(rootKeyId(newKey));
    const after = { value: sealed.value, wrappedKey: rewrapped!.wrappedKey };
    expect(openValue(newKey, after, context)).toBe("before rotation");
    // Already current: nothing to do.
    expect(rewrapKey([newKey, oldKey], rewrapped!.wrappedKey, context)).toBeNull();
    // A retired key that is no longer configured cannot be re-wrapped.
    expect(sealErrorCode(() => rewrapKey([newKey], sealed.wrappedKey, context))).toBe(
      "sealed_unknown_key",
    );
  });
});
