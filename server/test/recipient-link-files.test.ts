/**
 * A recipient's link (F14) reads its share's files: once the sender deletes the share, a link
 * already viewed, whose download window is still open, is refused as the share is, 410
 * share_gone with reason "deleted", not 404 blob_not_found as if the file had never been there
 * (black-box finding, session 24: the link stays "viewed", only the share says why the files
 * went). Over real HTTP, on every database under test.
 */
import { sealForRecipients, toBase64Url } from "@hushlink/protocol";
import { beforeAll, describe, expect, it } from "vitest";

import { memberOf, orgIdOf, signup, uniqueEmail, type Client } from "./helpers/accounts.js";
import { testDialects } from "./helpers/databases.js";
import { makeFile, uploadFile } from "./helpers/files.js";
import { createShare, json } from "./helpers/http.js";
import { liveSuite } from "./helpers/suite.js";

describe.each(testDialects)(
  "a recipient's download after the share's deletion on %s",
  (dialect) => {
    const live = liveSuite(dialect);
    let alice: Client;
    let bob: Client;
    let carol: Client;

    beforeAll(async () => {
      const { t } = live;
      alice = await signup(t, uniqueEmail("alice"));
      const orgId = await orgIdOf(alice);
      bob = await memberOf(t, orgId, uniqueEmail("bob"));
      carol = await memberOf(t, orgId, uniqueEmail("carol"));
    });

    const download = (id: string, blobId: string, token: string) =>
      fetch(`${live.base}/api/v1/shares/${id}/blobs/${blobId}`, {
        headers: { "x-download-token": token },
      });

    it("answers 410 share_gone (deleted) in the window of a link already viewed", async () => {
      const file = await makeFile(70_000);
      const sealed = await sealForRecipients("the report", [bob.email, carol.email], {
        files: [
          {
            blob: file.blobId,
            name: "report.txt",
            type: "text/plain",
            size: file.plaintext.length,
            key: toBase64Url(file.key),
          },
        ],
      });
      const created = await createShare(alice, {
        id: sealed.id,
        recipientLinks: sealed.recipientLinks,
        blobs: sealed.blobs,
        expiresIn: 3600,
        maxViews: 1,
      });
      expect(created.statusCode, created.body).toBe(201);
      await uploadFile(live.t, sealed.id, json<{ uploadToken: string }>(created).uploadToken, file);
      const link = sealed.recipientLinks.find((l) => l.email === bob.email)!;
      const revealed = await bob.inject({
        method: "POST",
        url: `/api/v1/shares/${link.id}/reveal`,
        payload: { viewToken: link.viewToken },
      });
      expect(revealed.statusCode, revealed.body).toBe(200);
      const { downloadToken } = json<{ downloadToken: string }>(revealed);
      expect((await download(link.id, file.blobId, downloadToken)).status).toBe(200);

      const deleted = await alice.inject({ method: "DELETE", url: `/api/v1/shares/${sealed.id}` });
      expect(deleted.statusCode, deleted.body).toBe(204);

      const after = await download(link.id, file.blobId, downloadToken);
      expect(after.status).toBe(410);
      expect(await after.json()).toMatchObject({
        error: { code: "share_gone", reason: "deleted" },
      });
      // The other recipient's link, never opened, went with the share.
      const other = sealed.recipientLinks.find((l) => l.email === carol.email)!;
      const otherMeta = await carol.inject({ url: `/api/v1/shares/${other.id}` });
      expect(json(otherMeta)).toMatchObject({ error: { code: "share_gone", reason: "deleted" } });
    });
  },
);
