/**
 * SPEC F3 "organization" access from the viewer's side (issue 6's browser case): a link opened
 * signed out asks to sign in, comes back to the same link after sign-in (its key never in a
 * URL query), and opens; an account of another organization is told so.
 */
import { addMember, buildMemberShare, orgIdOf, PASSWORD, signUp } from "../fixtures/accounts.js";
import { expectAccessible, screenshot } from "../fixtures/checks.js";
import { expect, test } from "../fixtures/test.js";

test("organization-only share opened signed out: sign in, back on the same link, Reveal works", async ({
  server,
  newVisitor,
}) => {
  const senderContext = await newVisitor();
  const sender = await signUp(senderContext, { label: "sender", name: "Fox" });
  const share = await buildMemberShare(senderContext, server, {
    access: "organization",
    text: "vault unseal key 3 of 5",
  });
  const linkSecret = share.link.split("#")[1] ?? "";

  // A colleague's browser, signed out (the same person's account, for the test).
  const page = await (await newVisitor()).newPage();
  const requests: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  await page.goto(share.link);
  await expect(page.getByRole("heading", { name: "Sign in to open this secret" })).toBeVisible();
  await expect(
    page.getByText(
      "This secret is only for members of Fox's organization. Sign in with your account there to open it.",
    ),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Reveal secret" })).toHaveCount(0);

  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${server.url}/login?next=%2Fs`);
  await page.getByLabel("E-mail address").fill(sender.email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();

  // Back on the link, fragment and all, and the round trip left nothing behind.
  await expect(page.getByRole("button", { name: "Reveal secret" })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe("/s");
  // The sign-in round trip is forgotten; the tab keeps only the link it shows, until Reveal.
  const storage = () =>
    page.evaluate(() => Object.entries(sessionStorage).map(([k, v]) => `${k}=${v}`));
  expect(await storage()).toEqual([
    `hushlink.fragment=${JSON.stringify({ path: "/s", fragment: linkSecret })}`,
  ]);
  await page.getByRole("button", { name: "Reveal secret" }).click();
  await expect(page.getByTestId("secret-text")).toHaveText("vault unseal key 3 of 5");
  expect((await storage()).join(" ")).not.toContain(linkSecret);

  // The link's key went to no server in any URL, query or path.
  for (const url of requests) expect(url.split("#")[0]).not.toContain(linkSecret);
});

test("organization-only share opened by an account of another organization", async ({
  server,
  newVisitor,
}) => {
  const senderContext = await newVisitor();
  await signUp(senderContext, { label: "sender" });
  const share = await buildMemberShare(senderContext, server, { access: "organization" });

  const outsiderContext = await newVisitor();
  const outsider = await signUp(outsiderContext, { label: "outsider" });
  const page = await outsiderContext.newPage();
  await page.goto(share.link);
  // Told before pressing anything: there is no Reveal button to press.
  await expect(
    page.getByRole("heading", { name: "Your account is not in the sender's organization" }),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "Reveal secret" })).toHaveCount(0);
  await expect(page.getByRole("main").getByText(outsider.email)).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in with another account" })).toBeVisible();

  // Nothing was used up: the sender's organization still can open it.
  const again = await senderContext.newPage();
  await again.goto(share.link);
  await again.getByRole("button", { name: "Reveal secret" }).click();
  await expect(again.getByTestId("secret-text")).toHaveText(share.text);
});

test("recipient-only share: signed out, a colleague who is not a recipient, and the recipient", async ({
  server,
  newVisitor,
}, testInfo) => {
  const adminContext = await newVisitor();
  const admin = await signUp(adminContext, { label: "sender", name: "Dana" });
  const memberContext = await newVisitor();
  const member = await addMember(adminContext, orgIdOf(admin), memberContext, server);
  const share = await buildMemberShare(adminContext, server, {
    recipients: [member.email],
    text: "for Fox only",
  });

  for (const width of [1280, 390]) {
    // Signed out: who may open it, and that signing in is needed, before any Reveal button.
    const anonymous = await (await newVisitor({ viewport: { width, height: 844 } })).newPage();
    await anonymous.goto(share.link);
    await expect(
      anonymous.getByRole("heading", { name: "Sign in to open this secret" }),
    ).toBeVisible();
    await expect(
      anonymous.getByText(
        "This secret was sent to specific people by e-mail. Sign in with the address it was sent to.",
      ),
    ).toBeVisible();
    await expect(anonymous.getByText(/members of/)).toHaveCount(0);
    await expect(anonymous.getByRole("button", { name: "Reveal secret" })).toHaveCount(0);
    await expectAccessible(anonymous, "recipient-only, signed out");
    await screenshot(anonymous, testInfo, `recipients-only-signed-out-${width}`);
  }

  // The organization's admin, who sent it but is not a recipient, is told the truth.
  const adminPage = await adminContext.newPage();
  await adminPage.goto(share.link);
  await expect(
    adminPage.getByRole("heading", { name: "This secret was sent to someone else" }),
  ).toBeVisible();
  await expect(adminPage.getByRole("main").getByText(admin.email)).toBeVisible();
  await expect(adminPage.getByText(/not in the sender's organization/)).toHaveCount(0);
  await expect(adminPage.getByRole("button", { name: "Reveal secret" })).toHaveCount(0);
  await expectAccessible(adminPage, "recipient-only, not a recipient");
  await screenshot(adminPage, testInfo, "recipients-only-not-recipient");

  // The recipient, signed in since accepting the invitation, opens it.
  const memberPage = await memberContext.newPage();
  await memberPage.goto(share.link);
  await memberPage.getByRole("button", { name: "Reveal secret" }).click();
  await expect(memberPage.getByTestId("secret-text")).toHaveText("for Fox only");
});
