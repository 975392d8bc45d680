import { useId, useState, type FormEvent } from "react";
import { Trans, useLingui } from "@lingui/react/macro";

import { FormSubmit } from "../../../components/FormSubmit";
import { TrashIcon } from "../../../components/icons";
import { dashboardApi } from "../../dashboard/api";
import { TabIntro } from "../../dashboard/components/TabIntro";
import { dashboardError } from "../../dashboard/errors";
import { Field } from "../../accounts/components/Field";
import { RecentProofPrompt, useRecentProof } from "../../accounts/components/RecentProofPrompt";
import { useFormState } from "../../../lib/use-form-state";

/**
 * Deleting the organization (admins, issue 25): the consequences first, then its name typed to
 * confirm, which the server checks too. Until the name matches, the button says why it waits.
 * A session signed in a while ago is asked for the password in place, as other admin changes are.
 */
export function DeleteOrg({
  orgId,
  name,
  onDeleted,
}: {
  orgId: string;
  name: string;
  onDeleted: () => void;
}) {
  const { t } = useLingui();
  const ids = useId();
  const [typed, setTyped] = useState("");
  const { busy, error, start, run } = useFormState(dashboardError);
  const matches = typed.trim() === name.trim();
  const proof = useRecentProof();

  async function remove(password?: string) {
    await dashboardApi.deleteOrg(orgId, typed, password);
    onDeleted();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    if (!matches) return event.preventDefault();
    if (!start(event)) return;
    await run(() => remove(), {
      leaving: true,
      failure: (caught) => (proof.ask(caught, remove) ? null : dashboardError(caught)),
    });
  }

  return (
    <section className="panel panel--danger stack stack--tight" aria-labelledby={`${ids}-heading`}>
      <TabIntro headingId={`${ids}-heading`} title={t`Delete this organization`}>
        <Trans>This cannot be undone. At once and for good, for {name}:</Trans>
      </TabIntro>
      <ul className="consequences">
        <li>
          <Trans>every share of the organization is destroyed: its links say it was deleted;</Trans>
        </li>
        <li>
          <Trans>its requests are deleted, with any answers to them;</Trans>
        </li>
        <li>
          <Trans>its branding (colours and logo) and pending invitations are deleted;</Trans>
        </li>
        <li>
          <Trans>
            every member leaves it. Members keep their accounts and their other organizations.
          </Trans>
        </li>
      </ul>
      <RecentProofPrompt proof={proof} label={t`Delete organization`} busyLabel={t`Deleting…`} />
      {!proof.retry && (
        <form className="stack stack--tight" onSubmit={(e) => void submit(e)} noValidate>
          <div className="field-row">
            <Field
              label={t`Type “${name}” to confirm`}
              name="confirm-organization"
              autoComplete="off"
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              readOnly={busy}
            />
          </div>
          <FormSubmit
            busy={busy}
            error={error}
            label={t`Delete organization`}
            busyLabel={t`Deleting…`}
            danger
            icon={<TrashIcon />}
            disabled={!matches}
            note={matches ? undefined : t`Type the organization's name above to delete it.`}
          />
        </form>
      )}
    </section>
  );
}
