/**
 * The DNS proof of an SSO domain claim: a TXT record `_hushlink.<domain>` whose value is
 * `hushlink-domain=<proof>`. Looked up with node:dns's Resolver, bounded in time, through the
 * servers `SSO_DNS_SERVERS` names (split-horizon DNS, and the tests' own server) or the system's.
 */
import { Resolver } from "node:dns/promises";

import { canonicalDomain } from "@hushlink/protocol";

import { UnavailableError } from "../../errors.js";

/** In the domain's ASCII form: what DNS holds, and what a DNS provider's form takes. */
export const recordName = (domain: string) => {
  const verdict = canonicalDomain(domain);
  return `_hushlink.${verdict.ok ? verdict.ascii : domain}`;
};
export const recordValue = (proof: string) => `hushlink-domain=${proof}`;

/** Per try; two tries, so a lookup gives up within about 6 seconds. */
const TIMEOUT_MS = 3000;

/** Answers that say the record is not there, as opposed to DNS failing to answer. */
const ABSENT = new Set(["ENOTFOUND", "ENODATA"]);

export type TxtLookup = (name: string) => Promise<string[]>;

/** The TXT values at `name` (each one's strings joined, RFC 7208 §3.3); [] when there are none. */
export function createTxtLookup(servers: readonly string[] | null): TxtLookup {
  return async (name) => {
    // A resolver per lookup: cancel() on a shared one would end other lookups too.
    const resolver = new Resolver({ timeout: TIMEOUT_MS, tries: 2 });
    if (servers) resolver.setServers(servers);
    try {
      return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(""));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === "string" && ABSENT.has(code)) return [];
      throw new UnavailableError(
        `DNS did not answer for ${name} (${String(code)}). Try again in a moment.`,
      );
    }
  };
}
