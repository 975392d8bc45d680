/** Test data through the real protocol code, as a browser or the CLI would make it. */
import { seal, type SealOptions } from "@hushlink/protocol";

/** Minimum Argon2id parameters keep password tests fast; the server accepts them. */
export const FAST_KDF = { alg: "argon2id" as const, m: 19456, t: 2, p: 1 };

export interface BuiltShare {
  linkSecret: string;
  text: string;
  password?: string;
  body: Record<string, unknown> & { id: string; viewToken: string; ciphertext: string; iv: string };
}

export async function buildShare(
  overrides: {
    text?: string;
    password?: string;
    expiresIn?: number;
    maxViews?: number | null;
    name?: string;
  } = {},
  sealOptions: SealOptions = {},
): Promise<BuiltShare> {
  const text = overrides.text ?? `secret ${Math.random().toString(36).slice(2)}`;
  const sealed = await seal(text, {
    ...(overrides.password ? { password: overrides.password, kdf: FAST_KDF } : {}),
    ...sealOptions,
  });
  const body: BuiltShare["body"] = {
    ...sealed.body,
    expiresIn: overrides.expiresIn ?? 3600,
    ...(overrides.maxViews !== undefined ? { maxViews: overrides.maxViews } : {}),
    ...(overrides.name !== undefined ? { name: overrides.name } : {}),
  };
  return {
    linkSecret: sealed.linkSecret,
    text,
    body,
    ...(overrides.password ? { password: overrides.password } : {}),
  };
}
