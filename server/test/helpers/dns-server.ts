/**
 * A real DNS server on 127.0.0.1 (UDP, `dns-packet`) answering TXT questions from a table the
 * test fills, so SSO domain proofs go through node:dns exactly as in production (SSO_DNS_SERVERS
 * points at it). A name not in the table answers NXDOMAIN; `failing` answers SERVFAIL to all.
 * With `tableFile` the table is that JSON file (`{name: [values]}`), read at each question, so
 * another process (a Playwright worker, while the server runs from global setup) can fill it.
 */
import { createSocket } from "node:dgram";
import { existsSync, readFileSync } from "node:fs";

import type { SsoSettings } from "@hushlink/protocol";
import * as packet from "dns-packet";
import type { LightMyRequestResponse } from "fastify";

export interface TestDnsServer {
  /** host:port, as SSO_DNS_SERVERS takes it. */
  address: string;
  /** TXT values by name (lower case); each value is one string. */
  txt: Map<string, string[]>;
  failing: boolean;
  close(): Promise<void>;
}

function readTable(file: string): Map<string, string[]> {
  if (!existsSync(file)) return new Map();
  return new Map(
    Object.entries(JSON.parse(readFileSync(file, "utf8")) as Record<string, string[]>),
  );
}

export async function startTestDnsServer(
  options: { tableFile?: string } = {},
): Promise<TestDnsServer> {
  const socket = createSocket("udp4");
  const self: TestDnsServer = {
    address: "",
    txt: new Map(),
    failing: false,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
  socket.on("message", (message, remote) => {
    const query = packet.decode(message);
    const question = query.questions?.[0];
    const table = options.tableFile ? readTable(options.tableFile) : self.txt;
    const values = question ? table.get(question.name.toLowerCase()) : undefined;
    const answer = packet.encode({
      type: "response",
      id: query.id,
      // The response code is the flags' low four bits: 2 SERVFAIL, 3 NXDOMAIN.
      flags:
        packet.RECURSION_DESIRED | packet.RECURSION_AVAILABLE | (self.failing ? 2 : values ? 0 : 3),
      questions: query.questions,
      answers:
        self.failing || !values || question?.type !== "TXT"
          ? []
          : values.map((value) => ({
              type: "TXT" as const,
              name: question.name,
              ttl: 60,
              data: value,
            })),
    });
    socket.send(answer, remote.port, remote.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  self.address = `127.0.0.1:${socket.address().port}`;
  return self;
}

/**
 * Publishes the TXT record of each pending SSO domain claim of `orgId` on `dns` and has the
 * admin check it: what an admin does at their DNS host and then with "Check now".
 */
export async function proveClaims(
  admin: { inject: (opts: { method?: "POST"; url: string }) => Promise<LightMyRequestResponse> },
  orgId: string,
  dns: TestDnsServer,
): Promise<void> {
  const read = await admin.inject({ url: `/api/v1/orgs/${orgId}/sso` });
  const { domainClaims } = JSON.parse(read.body) as SsoSettings;
  for (const claim of domainClaims.filter((c) => c.status === "pending")) {
    dns.txt.set(claim.recordName, [claim.recordValue]);
    const url = `/api/v1/orgs/${orgId}/sso/domains/${claim.domain}/verify`;
    const res = await admin.inject({ method: "POST", url });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  }
}
