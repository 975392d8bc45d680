/**
 * Request bodies sealed with the real protocol code (protocol/dist), computed before a load
 * starts so the load generator only hands out ready strings: one unique share id per request.
 */
import { randomBytes } from "node:crypto";

/** The protocol build, loaded on first use so a missing build gets run.mjs's message. */
const PROTOCOL_DIST = "../../../protocol/dist/index.js";
/** @type {typeof import("@hushlink/protocol").seal | null} */
let sealFn = null;
/** @param {string} text */
async function seal(text) {
  sealFn ??= /** @type {typeof import("@hushlink/protocol")} */ (await import(PROTOCOL_DIST)).seal;
  return sealFn(text);
}

/** A realistic secret: 100 bytes of password-like text. */
export function secretText() {
  return randomBytes(75).toString("base64");
}

/**
 * @typedef {object} Sealed
 * @property {string} id
 * @property {string} viewToken
 * @property {string} json the POST /api/v1/shares body
 */

export class SealedPool {
  /**
   * @param {{maxViews: number | null, expiresIn?: number}} options
   */
  constructor({ maxViews, expiresIn = 24 * 3600 }) {
    this.maxViews = maxViews;
    this.expiresIn = expiresIn;
    /** @type {Sealed[]} */
    this.items = [];
    this.next = 0;
    /** Bodies handed out after the pool ran dry: a sealed body with a fresh random id. */
    this.recycled = 0;
  }

  get remaining() {
    return this.items.length - this.next;
  }

  /**
   * Seals until at least `count` unused bodies are ready.
   * @param {number} count
   */
  async fill(count) {
    while (this.remaining < count) {
      const batch = Math.min(512, count - this.remaining);
      const sealed = await Promise.all(Array.from({ length: batch }, () => seal(secretText())));
      for (const { body } of sealed) {
        this.items.push({
          id: body.id,
          viewToken: body.viewToken,
          json: JSON.stringify({ ...body, expiresIn: this.expiresIn, maxViews: this.maxViews }),
        });
      }
    }
  }

  /**
   * One body sealed for a browser to open: with the link secret and the secret's text, which the
   * pool's bodies do not keep.
   */
  async sealOne() {
    const secret = secretText();
    const { body, linkSecret } = await seal(secret);
    const json = JSON.stringify({ ...body, expiresIn: this.expiresIn, maxViews: this.maxViews });
    return { item: { id: body.id, viewToken: body.viewToken, json }, linkSecret, secret };
  }

  /** The next unused body (never blocks: see `recycled`). @returns {Sealed} */
  take() {
    const unused = this.items[this.next];
    if (unused) {
      this.next++;
      return unused;
    }
    this.recycled++;
    const base = this.items[this.recycled % this.items.length];
    if (!base) throw new Error("the pool was never filled");
    const id = randomBytes(16).toString("base64url");
    const body = { ...JSON.parse(base.json), id };
    return { id, viewToken: base.viewToken, json: JSON.stringify(body) };
  }

  /** Drops the bodies already used, so their memory does not grow with the run. */
  compact() {
    this.items = this.items.slice(this.next);
    this.next = 0;
  }
}

/**
 * Bodies for the SQLite baseline's INSERT: real sealed bodies, each handed out with a fresh
 * 22-character id spliced in (a string concatenation, as cheap for the load generator as
 * SealedPool.take), so the baseline needs no sealing at its higher rate.
 */
export class SplicedIdBodies {
  /** @param {SealedPool} pool filled with at least one body */
  constructor(pool) {
    /** @type {[string, string][]} the JSON before and after the id */
    this.templates = pool.items.map((item) => {
      const at = item.json.indexOf(item.id);
      return [item.json.slice(0, at), item.json.slice(at + item.id.length)];
    });
    this.count = 0;
    this.prefix = randomBytes(6).toString("base64url");
  }

  /** @returns {{json: string}} */
  take() {
    const n = this.count++;
    const [before, after] = /** @type {[string, string]} */ (
      this.templates[n % this.templates.length]
    );
    return { json: `${before}${this.prefix}${n.toString(36).padStart(14, "0")}${after}` };
  }
}
