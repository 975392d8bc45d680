/**
 * Names people give are printed in other people's terminals and pages (issue 15 item 6): the API
 * refuses control characters in every one of them, with a 400 and a code.
 */
import { beforeAll, describe, expect, it } from "vitest";

import { GOOD_PASSWORD, signup, uniqueEmail, type Client } from "./helpers/accounts.js";
import { buildShare } from "./helpers/builders.js";
import { testDialects } from "./helpers/databases.js";
import { createRequest } from "./helpers/requests.js";
import { suiteApp } from "./helpers/suite.js";
import { createShare, errorCode } from "./helpers/http.js";

const HOSTILE = [
  "report\u001b]52;c;ZXZpbA==\u0007", // OSC 52: write the reader's clipboard
  "row\r\u001b[2Kfake row", // erase the line, print another
  "two\nlines",
  "c1\u009b31m",
  "bidi \u202egnp.exe",
];

describe.each(testDialects)("control characters in names on %s", (dialect) => {
  const t = suiteApp(dialect);
  let alice: Client;
  beforeAll(async () => {
    alice = await signup(t);
  });

  const refused = (res: { statusCode: number; json: () => unknown }) => {
    expect(res.statusCode).toBe(400);
    const { error } = res.json() as { error: { code: string; message: string } };
    expect(error.code).toBe("invalid_request");
    expect(error.message).toContain("control characters");
  };

  it.each(HOSTILE)("refuses %j as a share, request, user or token name", async (name) => {
    const share = await buildShare();
    refused(await createShare(t.app, { ...share.body, name }));
    refused(await createRequest(alice, { name }));
    refused(
      await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: { email: uniqueEmail(), password: GOOD_PASSWORD, name },
      }),
    );
    refused(await alice.inject({ method: "POST", url: "/api/v1/tokens", payload: { name } }));
  });

  it("refuses a lone surrogate in a name, which would be stored as U+FFFD", async () => {
    const name = "deploy \udc00key";
    const res = await createShare(t.app, { ...(await buildShare()).body, name });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      error: { code: "invalid_request", issues: [{ path: "body.name" }] },
    });
    const request = await createRequest(alice, { name });
    expect([request.statusCode, errorCode(request)]).toEqual([400, "invalid_request"]);
  });

  it("keeps accepting names in any script, with emoji and punctuation", async () => {
    const name = "Zugang für Ünal — 東京 🚀 (prod) #3";
    const share = await buildShare();
    const res = await createShare(t.app, { ...share.body, name });
    expect(res.statusCode).toBe(201);
  });
});
