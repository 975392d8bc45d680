/**
 * One spelling per value (protocol schemas, base64UrlBytes): a share id, view token or verifier
 * whose last character has stray low bits names the same bytes as the canonical spelling, and the
 * server hashed view tokens and verifiers by their bytes, so a second spelling of a link's token
 * opened it. Every such spelling is now refused as a malformed value is: 400 invalid_request.
 */
import { describe, expect, it } from "vitest";

import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { createShare, deleteShare, getShare, json, reveal } from "./helpers/http.js";
import { suiteApp } from "./helpers/suite.js";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/** The same bytes with the last character's unused low bit set: a second spelling. */
function otherSpelling(canonical: string): string {
  const last = ALPHABET.indexOf(canonical.at(-1)!);
  const spelled = canonical.slice(0, -1) + ALPHABET[last | 1];
  expect(Buffer.from(spelled, "base64url")).toEqual(Buffer.from(canonical, "base64url"));
  expect(spelled).not.toBe(canonical);
  return spelled;
}

describe.each(testDialects)("canonical base64url at the routes on %s", (dialect) => {
  const t = suiteApp(dialect);

  const refused = (res: Awaited<ReturnType<typeof getShare>>) => {
    expect(res.statusCode, res.body).toBe(400);
    expect(json(res)).toMatchObject({ error: { code: "invalid_request" } });
  };

  it("refuses a real share's id spelled with stray low bits, in every route's path", async () => {
    const s = await buildShare({ maxViews: 3 });
    expect((await createShare(t.app, s.body)).statusCode).toBe(201);
    const id = otherSpelling(s.body.id);
    refused(await getShare(t.app, id));
    refused(await reveal(t.app, id, { viewToken: s.body.viewToken }));
    refused(await deleteShare(t.app, id, { "x-view-token": s.body.viewToken }));
    // Nothing was consumed: the one spelling still opens it.
    expect(json(await getShare(t.app, s.body.id))).toMatchObject({ viewsRemaining: 3 });
  });

  it("refuses a second spelling of the view token and the verifier, which opened the share", async () => {
    const s = await buildShare({ maxViews: 3, password: "right horse" });
    const verifier = (s.body.password as { verifier: string }).verifier;
    expect((await createShare(t.app, s.body)).statusCode).toBe(201);
    const viewToken = otherSpelling(s.body.viewToken);
    refused(await reveal(t.app, s.body.id, { viewToken, verifier }));
    refused(
      await reveal(t.app, s.body.id, {
        viewToken: s.body.viewToken,
        verifier: otherSpelling(verifier),
      }),
    );
    refused(
      await deleteShare(t.app, s.body.id, { "x-view-token": viewToken, "x-verifier": verifier }),
    );
    refused(
      await t.app.inject({
        method: "POST",
        url: `/api/v1/shares/${s.body.id}/email-code`,
        payload: { viewToken },
      }),
    );
    // A creation with a non-canonical token is refused too: one share, one token spelling.
    const other = await buildShare();
    refused(
      await createShare(t.app, { ...other.body, viewToken: otherSpelling(other.body.viewToken) }),
    );
    // Nothing was consumed and no password attempt was taken.
    expect(json(await getShare(t.app, s.body.id))).toMatchObject({ viewsRemaining: 3 });
    const ok = await reveal(t.app, s.body.id, { viewToken: s.body.viewToken, verifier });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});
