import { useId, useState, type FormEvent } from "react";
import { Trans, useLingui } from "@lingui/react/macro";

import { FormSubmit } from "../../../components/FormSubmit";
import { Notice } from "../../../components/Notice";
import { Field } from "../../accounts/components/Field";
import { dashboardApi } from "../../dashboard/api";
import { TabIntro } from "../../dashboard/components/TabIntro";
import { dashboardError } from "../../dashboard/errors";
import { isApiError } from "../../../lib/api";
import { useFormState } from "../../../lib/use-form-state";
import { AdminsOnly } from "./AdminsOnly";

const MAX_NAME = 200;

/**
 * The organization's name, which branded pages, the request page and e-mails show (issue 25,
 * defect 5). Admins change it here; members read it.
 */
export function OrgNameForm({
  orgId,
  name,
  isAdmin,
  onRenamed,
}: {
  orgId: string;
  name: string;
  isAdmin: boolean;
  onRenamed: () => Promise<void>;
}) {
  const { t } = useLingui();
  const ids = useId();
  const [value, setValue] = useState(name);
  // No `fieldRef` on the name: its errors show without moving the focus.
  const { busy, error, fieldError, start, invalid, run } = useFormState(dashboardError);
  const [saved, setSaved] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    if (!start(event)) return;
    setSaved(null);
    const trimmed = value.trim();
    if (!trimmed) return invalid(t`Enter a name.`);
    if (trimmed.length > MAX_NAME) return invalid(t`Use at most ${MAX_NAME} characters.`);
    await run(
      async () => {
        const renamed = await dashboardApi.renameOrg(orgId, trimmed);
        setValue(renamed.name);
        setSaved(renamed.name);
        await onRenamed();
      },
      {
        failure: (caught) =>
          isApiError(caught, "invalid_request")
            ? {
                field: t`Use letters, digits and punctuation only: no line breaks or control characters.`,
              }
            : dashboardError(caught),
      },
    );
  }

  return (
    <section className="panel stack stack--tight" aria-labelledby={`${ids}-heading`}>
      <TabIntro headingId={`${ids}-heading`} title={t`Organization name`}>
        <Trans>
          People see this name on your branded pages, on the page where they answer your requests,
          and in the e-mails we send for you.
        </Trans>
      </TabIntro>
      {isAdmin ? (
        <form className="stack stack--tight" onSubmit={(e) => void submit(e)} noValidate>
          <div className="field-row">
            <Field
              label={t`Name`}
              name="organization"
              autoComplete="organization"
              value={value}
              maxLength={MAX_NAME}
              onChange={(e) => setValue(e.target.value)}
              error={fieldError}
              readOnly={busy}
            />
          </div>
          <FormSubmit busy={busy} error={error} label={t`Save name`} busyLabel={t`Saving…`} />
        </form>
      ) : (
        <AdminsOnly>
          <strong>{name}</strong>
        </AdminsOnly>
      )}
      <div role="status" aria-live="polite" className="live-region">
        {saved !== null && (
          <Notice tone="success">
            <Trans>The organization is now called {saved}.</Trans>
          </Notice>
        )}
      </div>
    </section>
  );
}
