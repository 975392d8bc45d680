/**
 * A real HTTP receiver for webhook tests, on 127.0.0.1: records every request, answers 204 on
 * /hook, a redirect on /redirect, and can be stopped and started again on the same port to play
 * a receiver that is down for a while.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  port: number;
  url(path?: string): string;
  received: Received[];
  /** Closes the port: deliveries fail to connect until up() is called. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: Received[] = [];
  let port = 0;
  let server: Server | null = null;

  const open = async () => {
    const s = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (c: Buffer) => chunks.push(c));
      request.on("end", () => {
        const path = request.url ?? "/";
        received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString() });
        if (path === "/redirect") {
          response.writeHead(302, { location: "/hook-redirected" }).end();
        } else {
          response.writeHead(path.startsWith("/hook") ? 204 : 404).end();
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.listen(port, "127.0.0.1", () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };
  const shut = async () => {
    const s = server;
    server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };

  await open();
  return {
    get port() {
      return port;
    },
    url: (path = "/hook") => `http://127.0.0.1:${port}${path}`,
    received,
    down: shut,
    up: open,
    close: shut,
  };
}
