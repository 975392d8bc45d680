/**
 * SPEC F18, the Audit tab (issue 23): an admin reads the organization's audit log page by page,
 * filters it by event, person and days, and downloads the NDJSON export of the chosen days, whose
 * lines are the entries the tab shows and verify as a chain. Members see no Audit tab, and the
 * API refuses them.
 */
import { verifyAuditExport, type AuditEntry, type AuditEntryPage } from "@hushlink/protocol";
import { readFile } from "node:fs/promises";

import { addMember, buildMemberShare, callApi, orgIdOf, signUp } from "../fixtures/accounts.js";
import { expectAdminOnlyTab } from "../fixtures/org-member.js";
import { checkBothWidths } from "../fixtures/widths.js";
import { expect, test } from "../fixtures/test.js";

/** More than one page (25) of entries of one type, so the unfiltered log pages. */
const SHARES = 14;

test("Audit tab: pages, filters by event, person and days, and exports NDJSON that verifies", async ({
  page,
  newVisitor,
  server,
}) => {
  test.setTimeout(120_000);
  const admin = await signUp(page.context(), { label: "auditor", name: "Dana Scully" });
  const orgId = orgIdOf(admin);
  const memberContext = await newVisitor();
  const member = await addMember(page.context(), orgId, memberContext, server);

  for (let i = 0; i < SHARES; i++) {
    const share = await buildMemberShare(page.context(), server, { orgId });
    const deleted = await callApi(page.context(), "DELETE", `/api/v1/shares/${share.id}`);
    expect(deleted.status).toBe(204);
  }

  await page.goto("/app/audit");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  const table = page.getByRole("table", { name: /^Audit log of / });
  const rows = table.locator("tbody > tr");
  // Newest first: the last share deleted heads the first page of 25.
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toHaveAttribute("data-type", "share.deleted");
  await expect(rows.first().getByRole("cell", { name: "Share deleted" })).toBeVisible();
  await expect(rows.first().getByRole("cell", { name: "Dana Scully" })).toContainText(admin.email);
  await expect(rows.first().getByRole("cell", { name: "Succeeded" })).toBeVisible();
  await expect(rows.first().getByRole("cell", { name: "127.0.0.1" })).toBeVisible();

  // The next page adds to the first, older entries after newer ones.
  await page.getByRole("button", { name: "Load more" }).click();
  await expect.poll(() => rows.count()).toBeGreaterThan(25);
  const seqs = (await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-seq")))).map(
    Number,
  );
  expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
  expect(new Set(seqs).size).toBe(seqs.length);

  // One event type: only those, all of them, on one page.
  await page.getByLabel("Event").selectOption({ label: "Share deleted" });
  await expect(rows).toHaveCount(SHARES);
  expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.type)))).toEqual(
    new Set(["share.deleted"]),
  );
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);

  // One person: the member did nothing to shares.
  await page.getByLabel("Done by").selectOption({ label: `Fox Mulder (${member.email})` });
  await expect(page.getByText("No entries match these filters.")).toBeVisible();
  await page.getByLabel("Event").selectOption({ label: "All events" });
  await expect(rows.first()).toBeVisible();
  expect(new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.type)))).toEqual(
    new Set(["member.joined"]),
  );
  await page.getByLabel("Done by").selectOption({ label: "Anyone" });

  // Days: "To" before "From" is refused in words; today alone holds everything above.
  const today = await page.evaluate(() => {
    const d = new Date();
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  });
  await page.getByLabel("From", { exact: true }).fill(today);
  await page.getByLabel("To", { exact: true }).fill("2020-01-01");
  await expect(page.getByRole("alert")).toHaveText(/“To” date is before the “From” date/);
  await page.getByLabel("To", { exact: true }).fill(today);
  await expect(page.getByRole("alert")).toHaveCount(0);
  await page.getByLabel("Event").selectOption({ label: "Share created" });
  await expect(rows).toHaveCount(SHARES);
  await page.getByLabel("From", { exact: true }).fill("2020-01-01");
  await page.getByLabel("To", { exact: true }).fill("2020-01-31");
  await expect(page.getByText("No entries match these filters.")).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(rows).toHaveCount(25);

  // The export of today: NDJSON whose lines are the log's entries, in chain order, verifying.
  await page.getByLabel("From", { exact: true }).fill(today);
  await page.getByLabel("To", { exact: true }).fill(today);
  await expect(rows).toHaveCount(25);
  const exportLink = page.getByRole("link", { name: "Export (NDJSON)" });
  await expect(exportLink).toHaveAttribute("href", /\/audit\?since=.+&until=.+/);
  const [download] = await Promise.all([page.waitForEvent("download"), exportLink.click()]);
  expect(download.suggestedFilename()).toMatch(/^hushlink-audit-\d{4}-\d{2}-\d{2}\.ndjson$/);
  const text = await readFile(await download.path(), "utf8");
  const lines = text.trimEnd().split("\n");
  const exported = lines.map((line) => JSON.parse(line) as AuditEntry);
  expect(await verifyAuditExport(text)).toMatchObject({ ok: true });
  expect(exported.map((e) => e.seq)).toEqual(exported.map((_, i) => i + 1));
  expect(exported.filter((e) => e.type === "share.deleted")).toHaveLength(SHARES);
  // The lines are the entries the tab reads (newest first there, chain order here).
  const listed = await callApi<AuditEntryPage>(
    page.context(),
    "GET",
    `/api/v1/orgs/${orgId}/audit/entries?limit=100`,
  );
  expect(listed.body.entries.toReversed()).toEqual(exported);
  const shown = (await rows.evaluateAll((trs) => trs.map((tr) => tr.dataset.seq))).map(Number);
  expect(shown).toEqual(
    exported
      .toReversed()
      .slice(0, 25)
      .map((e) => e.seq),
  );

  await page.getByLabel("Event").selectOption({ label: "Share deleted" });
  await expect(rows).toHaveCount(SHARES);
  await checkBothWidths(page, "audit-tab");

  // A member of the organization sees no Audit tab; the page and the API refuse them.
  const memberPage = await expectAdminOnlyTab(memberContext, orgId, {
    name: "Audit",
    path: "/app/audit",
  });
  await expect(memberPage.getByRole("table")).toHaveCount(0);
  const refused = await callApi(memberContext, "GET", `/api/v1/orgs/${orgId}/audit/entries`);
  expect(refused.status).toBe(403);
});
