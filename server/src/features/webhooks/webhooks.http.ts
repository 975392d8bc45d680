/**
 * One webhook POST, with the network rules of SPEC F18: the host is resolved once, every address
 * it resolves to is checked (no private, loopback, link-local or otherwise special address unless
 * WEBHOOK_ALLOW_PRIVATE), and the connection goes to the address that was checked (the socket's
 * lookup answers with it), so a second, different DNS answer cannot slip in (DNS rebinding).
 * No redirect is followed; the whole exchange is bounded by a timeout.
 */
import { promises as dns } from "node:dns";
import http from "node:http";
import https from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";

export const DELIVERY_TIMEOUT_MS = 10_000;
/** Only the status matters; a receiver's long answer is not read past this. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolve: Resolve = async (hostname) =>
  (await dns.lookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** Addresses no webhook may reach by default: everything that is not the public internet. */
const special = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  special.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [
  // ::/96 holds the unspecified address, loopback and the deprecated IPv4-compatible form
  // (::127.0.0.1); ::ffff:0:0:0/96 the IPv4-translated one (RFC 2765). Either may reach IPv4
  // behind a translator, and neither is an ordinary public address.
  ["::", 96],
  ["::ffff:0:0:0", 96],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 23],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["3fff::", 20],
  ["5f00::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  ["fec0::", 10],
  ["ff00::", 8],
] as const)
  special.addSubnet(net, prefix, "ipv6");

/** Whether `ip` is an ordinary public address (IPv4-mapped IPv6 judged by its IPv4 part). */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return !special.check(ip, "ipv4");
  if (family !== 6) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) return isPublicAddress(mapped[1]);
  // ::ffff:7f00:1 and the like, the mapped form written in hex.
  if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/i.test(ip)) return false;
  return !special.check(ip, "ipv6");
}

/**
 * `localhost` and every name under it, with or without the root's dot, are loopback (RFC 6761
 * §6.3), whatever a resolver answers: some resolve `localhost.` or `x.localhost` to 127.0.0.1,
 * others not at all, and a name that fails to resolve when the endpoint is added is let through.
 */
export const isLoopbackName = (host: string) => /(?:^|\.)localhost\.?$/i.test(host);

/** The URL's host as an address or name (brackets of an IPv6 literal removed). */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, "$1");

export type PostResult =
  { ok: true; status: number } | { ok: false; status: number | null; errorCode: string };

export async function postWebhook(args: {
  url: string;
  body: string;
  headers: Record<string, string>;
  allowPrivate: boolean;
  resolve: Resolve;
  timeoutMs?: number;
}): Promise<PostResult> {
  const url = new URL(args.url);
  const host = hostOf(url);
  if (!args.allowPrivate && isLoopbackName(host))
    return { ok: false, status: null, errorCode: "address_refused" };
  let addresses: ResolvedAddress[];
  try {
    const family = isIP(host);
    addresses =
      family === 0 ? await args.resolve(host) : [{ address: host, family: family === 6 ? 6 : 4 }];
  } catch {
    return { ok: false, status: null, errorCode: "dns_failed" };
  }
  const pinned = addresses[0];
  if (!pinned) return { ok: false, status: null, errorCode: "dns_failed" };
  if (!args.allowPrivate && !addresses.every((a) => isPublicAddress(a.address)))
    return { ok: false, status: null, errorCode: "address_refused" };

  // The socket connects to the address checked above, whatever the resolver would say now.
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const done = (result: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = client.request(
      url,
      {
        method: "POST",
        headers: {
          ...args.headers,
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(args.body)),
          "user-agent": "Hushlink-Webhooks/1",
        },
        lookup,
        // A fresh connection each time: a pooled socket could be to an address of another lookup.
        agent: false,
      },
      (response) => {
        const status = response.statusCode ?? 0;
        let read = 0;
        response.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_RESPONSE_BYTES) response.destroy();
        });
        const finish = () => {
          if (status >= 200 && status < 300) done({ ok: true, status });
          // A redirect is an answer, not a new destination (SPEC F18: none is followed).
          else if (status >= 300 && status < 400)
            done({ ok: false, status, errorCode: "redirect_refused" });
          else done({ ok: false, status, errorCode: "http_status" });
        };
        response.on("end", finish);
        response.on("close", finish);
        response.on("error", finish);
      },
    );
    const timer = setTimeout(() => {
      done({ ok: false, status: null, errorCode: "timeout" });
      request.destroy();
    }, args.timeoutMs ?? DELIVERY_TIMEOUT_MS);
    request.on("error", (error: NodeJS.ErrnoException) => {
      const code = error.code ?? "";
      done({
        ok: false,
        status: null,
        errorCode:
          code.startsWith("ERR_TLS") || code.includes("CERT") ? "tls_failed" : "connect_failed",
      });
    });
    request.end(args.body);
  });
}
