/**
 * SPEC F3 "organization" access from the viewer's side (issue 6's browser case): a link opened
 * signed out asks to sign in, comes back to the same link after sign-in (its key never in a
 * URL query), and opens; an account of another organization is told so.
 */
import { buildMemberShare, PASSWORD, signUp } from "../fixtures/accounts.js";
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
    page.getByText("This secret is only for members of Fox's organization. Sign in to open it."),
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
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  await page.getByRole("button", { name: "Reveal secret" }).click();
  await expect(page.getByTestId("secret-text")).toHaveText("vault unseal key 3 of 5");

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
  await page.getByRole("button", { name: "Reveal secret" }).click();
  await expect(
    page.getByRole("heading", { name: "Your account is not in the sender's organization" }),
  ).toBeVisible();
  await expect(page.getByRole("main").getByText(outsider.email)).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign in with another account" })).toBeVisible();

  // Nothing was used up: the sender's organization still can open it.
  const again = await senderContext.newPage();
  await again.goto(share.link);
  await again.getByRole("button", { name: "Reveal secret" }).click();
  await expect(again.getByTestId("secret-text")).toHaveText(share.text);
});
