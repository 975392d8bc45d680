import { useId } from "react";

import { Trans, useLingui } from "@lingui/react/macro";

import { FormSubmit } from "../../../components/FormSubmit";
import { TrashIcon } from "../../../components/icons";
import { TabIntro } from "../../dashboard/components/TabIntro";
import { accountsApi } from "../api";
import { usePasswordProof } from "../use-password-proof";
import { PasswordProofField } from "./PasswordProofField";

/**
 * Deleting the account for good (issue 25): what it destroys is said before anything is typed,
 * and the password, typed again, is the confirmation. The server refuses while the account is
 * the only admin of an organization with other members, and says which.
 */
export function DeleteAccount({ email }: { email: string }) {
  const { t } = useLingui();
  const ids = useId();
  const { password, setPassword, busy, fieldError, error, ref, submit } = usePasswordProof(
    async (password) => {
      await accountsApi.deleteAccount(password);
      // Signed out by the answer: leave the dashboard for the start page (busy until it goes).
      window.location.assign("/");
    },
  );

  return (
    <section className="panel panel--danger stack stack--tight" aria-labelledby={`${ids}-heading`}>
      <TabIntro headingId={`${ids}-heading`} title={t`Delete your account`}>
        <Trans>This cannot be undone. At once and for good:</Trans>
      </TabIntro>
      <ul className="consequences">
        <li>
          <Trans>every share you created is destroyed: its links say it was deleted;</Trans>
        </li>
        <li>
          <Trans>your requests are deleted, with any answers to them;</Trans>
        </li>
        <li>
          <Trans>
            you leave your organizations; one where you are the only member is deleted with
            everything in it;
          </Trans>
        </li>
        <li>
          <Trans>you are signed out everywhere and your API tokens stop working.</Trans>
        </li>
      </ul>
      <p className="muted">
        <Trans>
          If you are the only admin of an organization that has other members, make someone else
          admin there (or delete it) first.
        </Trans>
      </p>
      <form className="stack stack--tight" onSubmit={(e) => void submit(e)} noValidate>
        <PasswordProofField
          email={email}
          ref={ref}
          label={t`Your password, to confirm`}
          name="delete-account-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={fieldError}
          readOnly={busy}
        />
        <FormSubmit
          busy={busy}
          error={error}
          label={t`Delete my account`}
          busyLabel={t`Deleting…`}
          danger
          icon={<TrashIcon />}
        />
      </form>
    </section>
  );
}
