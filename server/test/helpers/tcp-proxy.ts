/**
 * A TCP proxy a test can cut and restore, to put a fault between a server process and its
 * database or Redis without touching the shared services.
 *
 * - "reset": open connections are destroyed and new ones are closed at once (a database that
 *   went down, a refused port);
 * - "blackhole": open connections stay up but nothing passes either way, and new ones are
 *   accepted and left hanging (a network partition: only timeouts notice).
 * restore() lets traffic through again; connections held during a blackhole are dropped then,
 * as a partition that outlived their TCP keep-alives would.
 */
import net from "node:net";

export type CutMode = "reset" | "blackhole";

export interface TcpProxy {
  port: number;
  /** The given URL with host and port replaced by the proxy's. */
  urlFor(url: string): string;
  cut(mode?: CutMode): void;
  restore(): void;
  /** Connections opened through the proxy so far. */
  readonly opened: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: CutMode | null = null;
  let opened = 0;
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket | null }>();
  const held = new Set<net.Socket>();

  const server = net.createServer((client) => {
    client.on("error", () => undefined);
    if (mode === "reset") {
      client.destroy();
      return;
    }
    if (mode === "blackhole") {
      held.add(client);
      client.on("close", () => held.delete(client));
      return;
    }
    opened += 1;
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    upstream.on("error", () => client.destroy());
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on("data", (chunk: Buffer) => {
        if (mode === "blackhole") return;
        to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end);
    upstream.on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("proxy did not listen");

  const dropAll = () => {
    for (const { client, upstream } of pairs) {
      client.destroy();
      upstream?.destroy();
    }
    pairs.clear();
    for (const socket of held) socket.destroy();
    held.clear();
  };

  return {
    port: address.port,
    urlFor(url: string) {
      const u = new URL(url);
      u.hostname = "127.0.0.1";
      u.port = String(address.port);
      return u.toString();
    },
    cut(next: CutMode = "reset") {
      mode = next;
      if (next === "reset") dropAll();
    },
    restore() {
      if (mode === "blackhole") dropAll();
      mode = null;
    },
    get opened() {
      return opened;
    },
    async close() {
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
