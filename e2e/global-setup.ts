/**
 * Starts one Hushlink server for the whole run: built server, random free port, temporary data
 * folder, rate limits off, webhooks allowed to private addresses, a real SMTP server on 127.0.0.1 that receives its mail (specs
 * read it with fixtures/mail.ts), and a real DNS server the SSO domain proofs ask (fixtures/dns.ts). Also builds the protocol client into a browser bundle for the
 * known-answer spec, so nothing test-only ships in web/dist. Returns the teardown.
 */
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { build } from "vite";

import { freePort } from "../server/test/helpers/server-process.js";
import { startTestDnsServer } from "../server/test/helpers/dns-server.js";
import { DNS_TABLE } from "./fixtures/dns.js";
import { startMailCatcher } from "./fixtures/mail.js";
import { ARTIFACTS, PROTOCOL_BUNDLE, REPO_ROOT } from "./fixtures/paths.js";
import { spawnServer, stopServer, waitUntilHealthy } from "./fixtures/server-process.js";

async function buildProtocolBundle(): Promise<void> {
  await build({
    configFile: false,
    logLevel: "warn",
    root: path.join(REPO_ROOT, "protocol"),
    build: {
      outDir: path.dirname(PROTOCOL_BUNDLE),
      emptyOutDir: true,
      minify: false,
      lib: {
        entry: path.join(REPO_ROOT, "protocol/src/client.ts"),
        name: "HushlinkProtocol",
        formats: ["iife"],
        fileName: () => path.basename(PROTOCOL_BUNDLE),
      },
    },
  });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const serverMain = path.join(REPO_ROOT, "server/bundle/main.js");
  for (const required of [serverMain, path.join(REPO_ROOT, "web/dist/index.html")]) {
    if (!existsSync(required)) {
      throw new Error(
        `${path.relative(REPO_ROOT, required)} is missing: run \`npm run build\` first`,
      );
    }
  }
  mkdirSync(ARTIFACTS, { recursive: true });

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), "hushlink-e2e-"));
  const mail = await startMailCatcher(path.join(dataDir, "received-mail"));
  // SSO domains are proven by DNS: specs publish TXT records in this file (fixtures/dns.ts).
  const dns = await startTestDnsServer({ tableFile: path.join(dataDir, DNS_TABLE) });
  const log = createWriteStream(path.join(ARTIFACTS, "server.log"));
  const server = spawnServer({
    port,
    url,
    dataDir,
    inherits: process.env,
    env: {
      SMTP_URL: mail.url,
      // Webhook specs deliver to a receiver they start on 127.0.0.1 (and over http://).
      WEBHOOK_ALLOW_PRIVATE: "true",
      SSO_DNS_SERVERS: dns.address,
    },
    stdio: "pipe",
  });
  server.stdout?.pipe(log);
  server.stderr?.pipe(log);

  const stop = async () => {
    await stopServer(server);
    log.end();
    await mail.stop();
    await dns.close();
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await Promise.all([waitUntilHealthy(url, server), buildProtocolBundle()]);
  } catch (error) {
    await stop();
    throw error;
  }

  // Workers start after global setup and inherit these.
  process.env.HUSHLINK_E2E_URL = url;
  process.env.HUSHLINK_E2E_DATA_DIR = dataDir;
  process.env.HUSHLINK_E2E_MAIL_DIR = mail.folder;
  return stop;
}
