/**
 * Files (issue 17): how fast the server takes and gives back a large file, next to what this
 * machine's disk does in the same run, and the server's peak RSS meanwhile.
 *
 * - disk: 1 GiB of random bytes written in 1 MiB blocks and fdatasync'ed (as dd conv=fdatasync),
 *   then read back with O_DIRECT (dd iflag=direct), so the page cache does not count as disk;
 *   three times, each a fresh file, and the median of each counts (one direct read moved 2.6x
 *   between two runs: bench/README.md, the twenty-eighth session's end);
 * - http: a 1 GiB file through the API into the database store, 1 MiB chunks, UPLOAD_PARALLEL
 *   PUTs in flight (the loop the web page and the CLI share); the ciphertext is one real encrypted
 *   chunk sent under every index (the server never decrypts, so it cannot tell), which keeps this
 *   process's CPU low (its own CPU per MiB is reported: it shares the machine's cores). Then the
 *   reveal and GETs of the whole blob read to the end, by fetch (undici) and by node:http, whose
 *   client costs less per MiB: the server may serve faster than fetch reads;
 * - page: a 256 MiB file picked on the share form in Chromium, encrypted and uploaded by the page
 *   (click → link shown), then revealed in another context and downloaded (click → the saved
 *   file complete on disk), with Chromium's own CPU per MiB for each by process and thread
 *   (chromium-cpu.mjs).
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";

import {
  chromiumCpu,
  chromiumCpuPerMiB,
  chromiumTag,
  describeChromiumCpu,
} from "./chromium-cpu.mjs";
import { peakSampler } from "./proc.mjs";

const MiB = 1024 * 1024;
/** @type {(bytes: number, ms: number) => number} */
const mbps = (bytes, ms) => Math.round((bytes / 1e6 / (ms / 1000)) * 10) / 10;

/** @type {(values: number[]) => number} */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/**
 * One durable write and one direct read of `mib` MiB in a fresh file of `dir`, in MB/s.
 * @param {string} path
 * @param {number} mib
 */
function diskProbe(path, mib) {
  const block = randomBytes(MiB);
  const fd = openSync(path, "w");
  const started = performance.now();
  for (let i = 0; i < mib; i++) {
    block[0] = i & 0xff;
    writeSync(fd, block);
  }
  fdatasyncSync(fd);
  const writeMs = performance.now() - started;
  closeSync(fd);
  const readStarted = performance.now();
  execFileSync("dd", [`if=${path}`, "of=/dev/null", "bs=1M", "iflag=direct"], { stdio: "ignore" });
  const readMs = performance.now() - readStarted;
  rmSync(path, { force: true });
  return { write: mbps(mib * MiB, writeMs), read: mbps(mib * MiB, readMs) };
}

/**
 * Raw durable write and direct read of `mib` MiB in `dir`, in MB/s: the median of `times` probes,
 * each a fresh file, with every probe's figures.
 * @param {string} dir
 */
export function diskRates(dir, mib = 1024, times = 3) {
  const probes = Array.from({ length: times }, (_, i) =>
    diskProbe(join(dir, `disk-probe-${i}.bin`), mib),
  );
  return {
    writeMBps: median(probes.map((p) => p.write)),
    readMBps: median(probes.map((p) => p.read)),
    writes: probes.map((p) => p.write),
    reads: probes.map((p) => p.read),
  };
}

/** This process's CPU time so far, in ms. */
function ownCpuMs() {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
}

/**
 * GETs `url` with node:http and reads the body to its end; the bytes received.
 * @param {string} url
 * @param {Record<string, string>} headers
 * @returns {Promise<number>}
 */
function getWithNodeHttp(url, headers) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let received = 0;
        res.on("data", (/** @type {Buffer} */ part) => (received += part.length));
        res.on("end", () => resolve(received));
        res.on("error", reject);
      })
      .on("error", reject);
  });
}

/** The protocol build (run.mjs checks it is there); typed by its source. */
const PROTOCOL_DIST = "../../../protocol/dist/index.js";
async function protocol() {
  return /** @type {typeof import("@hushlink/protocol")} */ (await import(PROTOCOL_DIST));
}

/**
 * @param {Response} res
 * @returns {Promise<any>} the answer's JSON, as the bench reads a few known fields of it
 */
async function json(res) {
  const text = await res.text();
  if (!res.ok) throw new Error(`${res.status} ${text.slice(0, 200)}`);
  return text ? JSON.parse(text) : {};
}

/** @typedef {{base: string, pid: number, mib?: number, log: (m: string) => void}} Target */

/**
 * 1 GiB (by default) up and down through the HTTP API, with the server's peak RSS and CPU and this
 * process's CPU. `inFlight` is how many PUTs are outstanding at once: UPLOAD_PARALLEL, as the page
 * and the CLI send them, unless an experiment asks for another figure.
 * @param {Target & {inFlight?: number}} target
 */
export async function httpFiles({ base, pid, mib = 1024, inFlight, log }) {
  const P = await protocol();
  const parallel = inFlight ?? P.UPLOAD_PARALLEL;
  const size = mib * MiB;
  const blob = P.toBase64Url(randomBytes(16));
  const key = randomBytes(32);
  const sealed = await P.seal("bench", {
    files: [{ blob, key: P.toBase64Url(key), name: "bench.bin", type: "", size }],
  });
  const created = await json(
    await fetch(`${base}/api/v1/shares`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...sealed.body, expiresIn: 3600, maxViews: 1 }),
    }),
  );
  const chunk = await P.encryptChunk(await P.importFileKey(key), 0, false, randomBytes(MiB));
  const upload = peakSampler(pid);
  const clientBefore = ownCpuMs();
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (;;) {
      const n = next++;
      if (n >= mib) return;
      const res = await fetch(`${base}/api/v1/shares/${sealed.body.id}/blobs/${blob}/${n}`, {
        method: "PUT",
        headers: {
          "x-upload-token": created.uploadToken,
          "content-type": "application/octet-stream",
        },
        // encryptChunk's output is a fresh ArrayBuffer-backed array, as fetch's types ask.
        body: /** @type {Uint8Array<ArrayBuffer>} */ (chunk),
      });
      if (res.status !== 204) throw new Error(`chunk ${n}: ${res.status} ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  const uploadMs = performance.now() - started;
  const up = upload.stop();
  const uploadClientCpuMs = ownCpuMs() - clientBefore;
  log(
    `files http: ${mib} MiB uploaded in ${Math.round(uploadMs)} ms (${mbps(size, uploadMs)} MB/s), ` +
      `${parallel} PUTs in flight`,
  );

  const revealed = await json(
    await fetch(`${base}/api/v1/shares/${sealed.body.id}/reveal`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ viewToken: sealed.body.viewToken }),
    }),
  );
  const url = `${base}/api/v1/shares/${sealed.body.id}/blobs/${blob}`;
  const headers = { "x-download-token": revealed.downloadToken };
  /** @param {() => Promise<number>} get the bytes received */
  const measured = async (get) => {
    const sampler = peakSampler(pid);
    const before = ownCpuMs();
    const at = performance.now();
    const received = await get();
    const ms = performance.now() - at;
    const server = sampler.stop();
    if (received !== P.encryptedSize(size)) throw new Error(`downloaded ${received} bytes`);
    return { ms, MBps: mbps(received, ms), server, clientCpuMs: ownCpuMs() - before };
  };
  const byFetch = await measured(async () => {
    const res = await fetch(url, { headers });
    if (!res.body) throw new Error(`the download answered ${res.status} without a body`);
    let received = 0;
    for await (const part of res.body) received += part.length;
    return received;
  });
  // The same GET again (the download window allows it), read by node:http's client.
  const byNodeHttp = await measured(() => getWithNodeHttp(url, headers));
  log(
    `files http: downloaded in ${Math.round(byFetch.ms)} ms (${byFetch.MBps} MB/s) by fetch, ` +
      `${Math.round(byNodeHttp.ms)} ms (${byNodeHttp.MBps} MB/s) by node:http`,
  );
  return {
    bytes: size,
    inFlight: parallel,
    uploadMs,
    uploadMBps: mbps(P.encryptedSize(size), uploadMs),
    uploadPeakRss: up.peakRss,
    uploadCpuSeconds: up.cpuSeconds,
    uploadClientCpuSeconds: uploadClientCpuMs / 1000,
    downloadMs: byFetch.ms,
    downloadMBps: byFetch.MBps,
    downloadPeakRss: Math.max(byFetch.server.peakRss, byNodeHttp.server.peakRss),
    downloadCpuSeconds: byFetch.server.cpuSeconds,
    downloadClientCpuSeconds: byFetch.clientCpuMs / 1000,
    downloadNodeHttpMs: byNodeHttp.ms,
    downloadNodeHttpMBps: byNodeHttp.MBps,
    downloadNodeHttpCpuSeconds: byNodeHttp.server.cpuSeconds,
    downloadNodeHttpClientCpuSeconds: byNodeHttp.clientCpuMs / 1000,
  };
}

/**
 * A file of `mib` MiB through the share page and the view page in Chromium.
 * @param {Target & {dir: string}} target
 */
export async function pageFiles({ base, pid, dir, mib = 256, log }) {
  const path = join(dir, "page-bench.bin");
  const fd = openSync(path, "w");
  const block = randomBytes(MiB);
  for (let i = 0; i < mib; i++) writeSync(fd, block);
  closeSync(fd);
  const { chromium } = await import("playwright-core");
  const tag = chromiumTag();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-dev-shm-usage", tag],
  });
  try {
    const sender = await (await browser.newContext()).newPage();
    await sender.goto(`${base}/`);
    await sender.locator('input[type="file"]').setInputFiles(path);
    const upload = peakSampler(pid);
    const chromeBefore = chromiumCpu(tag);
    const started = performance.now();
    await sender.getByRole("button", { name: "Create secret link" }).click();
    await sender.getByRole("heading", { name: "Your secret link is ready" }).waitFor({
      timeout: 600_000,
    });
    const uploadMs = performance.now() - started;
    const up = upload.stop();
    const uploadChromiumCpu = chromiumCpuPerMiB(chromeBefore, chromiumCpu(tag), mib);
    const link = await sender.getByLabel("Share link", { exact: true }).inputValue();
    log(
      `files page: ${mib} MiB encrypted and uploaded in ${Math.round(uploadMs)} ms; ` +
        `Chromium's CPU per MiB ${describeChromiumCpu(uploadChromiumCpu)}`,
    );

    const viewer = await (await browser.newContext({ acceptDownloads: true })).newPage();
    await viewer.goto(link);
    await viewer.getByRole("button", { name: "Reveal secret" }).click();
    const button = viewer.getByRole("button", { name: /^Download/ });
    await button.waitFor();
    const download = peakSampler(pid);
    const chromeBeforeDownload = chromiumCpu(tag);
    const downStarted = performance.now();
    const saved = viewer.waitForEvent("download", { timeout: 600_000 });
    await button.click();
    const file = await saved;
    // The download event comes when the browser starts the download: at once when a service
    // worker streams it, only after the last chunk when the page builds a Blob. The figure is to
    // the file complete on disk (path() waits for that), which is the same in both.
    const startedMs = performance.now() - downStarted;
    await file.path();
    const downloadMs = performance.now() - downStarted;
    const down = download.stop();
    const downloadChromiumCpu = chromiumCpuPerMiB(chromeBeforeDownload, chromiumCpu(tag), mib);
    await file.delete();
    log(
      `files page: downloaded and decrypted in ${Math.round(downloadMs)} ms ` +
        `(download started after ${Math.round(startedMs)} ms); ` +
        `Chromium's CPU per MiB ${describeChromiumCpu(downloadChromiumCpu)}`,
    );
    const bytes = mib * MiB;
    return {
      bytes,
      uploadMs,
      uploadMBps: mbps(bytes, uploadMs),
      uploadPeakRss: up.peakRss,
      uploadCpuSeconds: up.cpuSeconds,
      uploadChromiumCpuMsPerMiB: uploadChromiumCpu,
      downloadMs,
      downloadStartedMs: startedMs,
      downloadMBps: mbps(bytes, downloadMs),
      downloadPeakRss: down.peakRss,
      downloadCpuSeconds: down.cpuSeconds,
      downloadChromiumCpuMsPerMiB: downloadChromiumCpu,
    };
  } finally {
    await browser.close();
    rmSync(path, { force: true });
  }
}

/**
 * The whole files scenario on a server of its own (file limits raised for an anonymous 1 GiB):
 * disk rates first, then the HTTP and page transfers, with the ratios the issue asks for and the
 * peak RSS above the server's idle figure.
 * @param {object} run
 * @param {(label: string) => Promise<unknown>} run.freshStore
 * @param {(store: any, options: {env: Record<string, string>}) => Promise<{server: {port: number, pid: number, stop(): Promise<unknown>}}>} run.startServer
 * @param {(pid: number) => {rss: number} | null | undefined} run.memoryOf
 * @param {string} run.dir
 * @param {(m: string) => void} run.log
 * @param {boolean} run.quick
 */
export async function filesScenario({ freshStore, startServer, memoryOf, dir, log, quick }) {
  const disk = diskRates(dir, quick ? 256 : 1024);
  log(
    `files disk: write ${disk.writeMBps} MB/s (fdatasync; median of ${disk.writes.join(", ")}), ` +
      `read ${disk.readMBps} MB/s (O_DIRECT; median of ${disk.reads.join(", ")})`,
  );
  const store = await freshStore("files");
  const limit = String(4 * 1024 * MiB);
  const { server } = await startServer(store, {
    env: { MAX_FILE_BYTES: limit, ANONYMOUS_MAX_FILE_BYTES: limit },
  });
  try {
    const base = `http://127.0.0.1:${server.port}`;
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const idleRss = memoryOf(server.pid)?.rss ?? 0;
    const http = await httpFiles({ base, pid: server.pid, mib: quick ? 256 : 1024, log });
    const page = await pageFiles({ base, pid: server.pid, dir, mib: quick ? 64 : 256, log });
    /** @type {(a: number, b: number) => number} */
    const ratio = (a, b) => Math.round((a / b) * 100) / 100;
    /** @type {(seconds: number, bytes: number) => number} */
    const perMiB = (seconds, bytes) => Math.round(((seconds * 1000) / (bytes / MiB)) * 100) / 100;
    const above = (/** @type {number} */ peak) => Math.round(((peak - idleRss) / MiB) * 10) / 10;
    const summary = {
      disk,
      idleRss,
      http: {
        ...http,
        uploadVsDiskWrite: ratio(http.uploadMBps, disk.writeMBps),
        downloadVsDiskRead: ratio(http.downloadMBps, disk.readMBps),
        downloadNodeHttpVsDiskRead: ratio(http.downloadNodeHttpMBps, disk.readMBps),
        uploadRssAboveIdleMB: above(http.uploadPeakRss),
        downloadRssAboveIdleMB: above(http.downloadPeakRss),
      },
      page: {
        ...page,
        uploadRssAboveIdleMB: above(page.uploadPeakRss),
        downloadRssAboveIdleMB: above(page.downloadPeakRss),
      },
    };
    log(
      `files: http up ${http.uploadMBps} MB/s (${summary.http.uploadVsDiskWrite}× disk write), ` +
        `down ${http.downloadMBps} MB/s (${summary.http.downloadVsDiskRead}× disk read); ` +
        `page up ${page.uploadMBps} MB/s, down ${page.downloadMBps} MB/s; server RSS above idle ` +
        `${summary.http.uploadRssAboveIdleMB}/${summary.http.downloadRssAboveIdleMB}/` +
        `${summary.page.uploadRssAboveIdleMB}/${summary.page.downloadRssAboveIdleMB} MB; ` +
        `server CPU ms per MiB ${perMiB(http.uploadCpuSeconds, http.bytes)}/` +
        `${perMiB(http.downloadCpuSeconds, http.bytes)}/` +
        `${perMiB(page.uploadCpuSeconds, page.bytes)}/${perMiB(page.downloadCpuSeconds, page.bytes)}`,
    );
    log(
      `files http: download by node:http ${http.downloadNodeHttpMBps} MB/s ` +
        `(${summary.http.downloadNodeHttpVsDiskRead}× disk read), server CPU ms per MiB ` +
        `${perMiB(http.downloadNodeHttpCpuSeconds, http.bytes)}; this process's CPU ms per MiB ` +
        `(up/down fetch/down node:http) ${perMiB(http.uploadClientCpuSeconds, http.bytes)}/` +
        `${perMiB(http.downloadClientCpuSeconds, http.bytes)}/` +
        `${perMiB(http.downloadNodeHttpClientCpuSeconds, http.bytes)}`,
    );
    return summary;
  } finally {
    await server.stop();
  }
}
