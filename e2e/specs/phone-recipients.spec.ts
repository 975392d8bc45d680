/**
 * Issue 25, defect 4: on a phone, tapping "Allow external recipients" right after typing an
 * address must land on the checkbox. Leaving the field turns the address into a chip, which can
 * grow the field and move the checkbox; the chip now appears only after the tap has landed.
 */
import { signUp } from "../fixtures/accounts.js";
import { PHONE } from "../fixtures/org-admin.js";
import { expect, test } from "../fixtures/test.js";

test("a tap on Allow external recipients after typing an address lands on it", async ({
  newVisitor,
}) => {
  const context = await newVisitor(PHONE);
  await signUp(context, { label: "phone" });
  const page = await context.newPage();
  await page.goto("/");
  const input = page.getByLabel(/^E-mail the link to/);
  const external = page.getByRole("checkbox", { name: "Allow external recipients" });
  const chips = page.getByRole("list", { name: "Recipients" }).getByRole("listitem");

  for (const address of [
    "first.contractor.with.a.long.name@external-agency.example.com",
    "second.contractor.with.a.long.name@external-agency.example.com",
  ]) {
    await input.tap();
    await page.keyboard.type(address);
    await external.scrollIntoViewIfNeeded();
    const box = await external.boundingBox();
    if (!box) throw new Error("no box for the checkbox");
    const before = await external.isChecked();
    // Where the finger comes down: the checkbox as the user saw it while typing.
    await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
    await expect(external).toBeChecked({ checked: !before });
    // The address still became a chip, after the tap.
    await expect(chips.filter({ hasText: address })).toHaveCount(1);
  }
});
