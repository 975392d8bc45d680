/**
 * Issue 25, defect 10: the contrast check compares the primary colour with the background too
 * (WCAG 1.4.11, 3:1), not only text with background: yellow on cream is refused.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { contrastRatio, MIN_UI_CONTRAST } from "../src/features/branding/contrast.js";
import { orgIdOf, signup, type Client } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { suiteApp } from "./helpers/suite.js";
import { json } from "./helpers/http.js";

const CREAM = "#fdf6ec";
const YELLOW = "#f5c518";
const INK = "#2b2118";

describe.each(testDialects)("primary against background on %s", (dialect) => {
  const t = suiteApp(dialect);
  let admin: Client;
  let url: string;
  beforeAll(async () => {
    admin = await signup(t);
    url = `/api/v1/orgs/${await orgIdOf(admin)}/branding`;
  });

  const put = (payload: Record<string, string>) => admin.inject({ method: "PUT", url, payload });

  it("refuses yellow on cream although the text is readable", async () => {
    expect(contrastRatio(INK, CREAM)).toBeGreaterThan(4.5);
    expect(contrastRatio(YELLOW, CREAM)).toBeLessThan(MIN_UI_CONTRAST);
    const res = await put({ primaryColor: YELLOW, backgroundColor: CREAM, textColor: INK });
    expect(res.statusCode).toBe(400);
    const { error } = json<{
      error: { code: string; pair: string; contrast: number; message: string };
    }>(res);
    expect(error).toMatchObject({ code: "low_contrast", pair: "primary" });
    expect(error.contrast).toBeLessThan(MIN_UI_CONTRAST);
    expect(error.message).toContain("primary colour on the background");
    // Nothing was stored.
    expect(json<{ primaryColor: string }>(await admin.inject({ url })).primaryColor).not.toBe(
      YELLOW,
    );
  });

  it("checks a primary colour alone against the background already saved (or the default)", async () => {
    const res = await put({ primaryColor: "#ffff66" });
    expect(res.statusCode).toBe(400);
    expect(json(res)).toMatchObject({ error: { code: "low_contrast", pair: "primary" } });
  });

  it("says which pair is low when text on background is", async () => {
    const res = await put({ textColor: "#999999", backgroundColor: "#ffffff" });
    expect(json(res)).toMatchObject({ error: { code: "low_contrast", pair: "text" } });
  });

  it("accepts a primary that stands out from the background", async () => {
    const res = await put({ primaryColor: "#0f766e", backgroundColor: CREAM, textColor: INK });
    expect(res.statusCode, res.body).toBe(200);
  });
});
