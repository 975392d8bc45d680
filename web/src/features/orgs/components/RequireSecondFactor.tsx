import { useId, useState, type FormEvent } from "react";
import { Trans, useLingui } from "@lingui/react/macro";

import { CheckField } from "../../../components/CheckField";
import { FormSubmit } from "../../../components/FormSubmit";
import { LoadFailed } from "../../../components/LoadFailed";
import { Loading } from "../../../components/Loading";
import { Notice } from "../../../components/Notice";
import { useFormState } from "../../../lib/use-form-state";
import { dashboardError } from "../../dashboard/errors";
import { useOrgSetting } from "../../dashboard/use-org-setting";
import { orgSecondFactorApi } from "../second-factor-api";

/**
 * "Require a second factor" (SPEC F16), a section of the admins' Security tab. With it on, a
 * member without an authenticator app is sent to set one up at their next page and can do
 * nothing else until then; the server refuses them every other API route too.
 */
export function RequireSecondFactor({ orgId }: { orgId: string }) {
  const { t } = useLingui();
  const ids = useId();
  const [required, setRequired] = useState(false);
  const { busy, error, start, run } = useFormState(dashboardError);
  const [done, setDone] = useState(false);
  const { setting, setValue } = useOrgSetting(orgId, orgSecondFactorApi.requirement, (answer) =>
    setRequired(answer.requireSecondFactor),
  );

  if (setting.kind === "failed") {
    return (
      <LoadFailed
        title={t`The second-factor setting could not be loaded`}
        message={setting.message}
      />
    );
  }
  if (setting.kind === "loading")
    return (
      <Loading>
        <Trans>Loading the second-factor setting…</Trans>
      </Loading>
    );
  const saved = setting.value.requireSecondFactor;

  async function submit(event: FormEvent<HTMLFormElement>) {
    if (!start(event)) return;
    setDone(false);
    await run(async () => {
      setValue(await orgSecondFactorApi.setRequirement(orgId, required));
      setDone(true);
    });
  }

  return (
    <form
      className="stack stack--tight"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-busy={busy}
    >
      <CheckField
        id={`${ids}-required`}
        label={<Trans>Require a second factor</Trans>}
        hint={
          <Trans>
            Members without an authenticator app must set one up before they can use the dashboard,
            the API or the command line. Set up your own first in your account.
          </Trans>
        }
        checked={required}
        onChange={(checked) => {
          setRequired(checked);
          setDone(false);
        }}
        busy={busy}
      />
      <FormSubmit busy={busy} error={error} label={t`Save`} busyLabel={t`Saving…`} />
      <div role="status" aria-live="polite" className="live-region">
        {done && (
          <Notice tone="success">
            {saved
              ? t`A second factor is now required of every member.`
              : t`A second factor is no longer required.`}
          </Notice>
        )}
      </div>
    </form>
  );
}
