/**
 * The shapes of the known-answer vector files in protocol/test-vectors/, for the tests that check
 * a client on them: protocol/src/*.test.ts in Node and e2e/specs/protocol-*.spec.ts in Chromium.
 * Binary values are base64url without padding; ciphertexts end with the 16-byte GCM tag.
 */
import type { KdfParams } from "./crypto.js";

/** protocol-v1-vectors.json: shares (SPEC §3), with and without a password. */
export interface ShareVector {
  name: string;
  linkSecret: string;
  iv: string;
  text: string;
  link: string;
  id: string;
  viewToken: string;
  contentKey: string;
  plaintext: string;
  ciphertext: string;
  viewTokenSha256: string;
  password?: string;
  kdf?: KdfParams;
  salt?: string;
  passwordKey?: string;
  verifier?: string;
  verifierSha256?: string;
}

export interface ShareVectorsFile {
  description: string;
  vectors: ShareVector[];
}

/** One chunk of a file vector; large chunks give only the SHA-256 and tag of their bytes. */
export interface ChunkVector {
  n: number;
  iv: string;
  plaintextBytes: number;
  encryptedBytes: number;
  encrypted?: string;
  encryptedSha256: string;
  tag: string;
}

/** A file (SPEC §3.1): its plaintext given outright, or by `plaintextRule`. */
export interface FileVector {
  name: string;
  key: string;
  blob: string;
  size: number;
  plaintextSha256: string;
  plaintext?: string;
  plaintextRule?: string;
  encryptedSize: number;
  chunks: ChunkVector[];
}

/** An end-to-end request (SPEC §3.2): the requester's keys, the answer, and the links. */
export interface RequestVector {
  name: string;
  readingSecret: string;
  readToken: string;
  readTokenSha256: string;
  wrapKey: string;
  requesterPrivateScalar: string;
  publicKey: string;
  fingerprint: string;
  keyIv: string;
  encryptedPrivateKey: string;
  requestLink: string;
  readingLink: string;
  ephemeralPrivateScalar: string;
  ephemeralPublicKey: string;
  sharedSecret: string;
  key: string;
  iv: string;
  plaintext: string;
  ciphertext: string;
}

/** protocol-v1-ext-vectors.json: files and end-to-end requests. */
export interface ExtVectorsFile {
  description: string;
  chunkSize: number;
  files: FileVector[];
  requests: RequestVector[];
}
