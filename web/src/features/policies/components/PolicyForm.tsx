import { useId, useState, type FormEvent } from "react";
import { EXPIRY_CHOICES, MAX_VIEWS } from "@hushlink/protocol/client";
import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";

import { CheckField } from "../../../components/CheckField";
import { FormSubmit } from "../../../components/FormSubmit";
import { LoadFailed } from "../../../components/LoadFailed";
import { Loading } from "../../../components/Loading";
import { Notice } from "../../../components/Notice";
import { formatDuration } from "../../../lib/format";
import { unlessBusy } from "../../../lib/busy";
import { useFormState } from "../../../lib/use-form-state";
import { Field } from "../../accounts/components/Field";
import { dashboardError } from "../../dashboard/errors";
import { useOrgSetting } from "../../dashboard/use-org-setting";
import { policiesApi, type OrgPolicy, type SharingPolicy } from "../api";

const MIB = 1024 * 1024;

type Toggle =
  | "requirePassword"
  | "allowAnyoneWithLink"
  | "allowExternalRecipients"
  | "requireEmailCodes"
  | "allowFiles"
  | "allowAnyoneRequests";

const TOGGLES: { key: Toggle; label: MessageDescriptor; hint: MessageDescriptor }[] = [
  {
    key: "requirePassword",
    label: msg`Require a password on every share`,
    hint: msg`The recipient types it to open the secret; it is sent another way.`,
  },
  {
    key: "allowAnyoneWithLink",
    label: msg`Allow shares that anyone with the link can open`,
    hint: msg`Off: a share must be limited to the organization or to named members.`,
  },
  {
    key: "allowExternalRecipients",
    label: msg`Allow e-mailing shares outside the organization`,
    hint: msg`Off: every recipient must be a member.`,
  },
  {
    key: "requireEmailCodes",
    label: msg`Ask outside recipients for an e-mailed code`,
    hint: msg`They must prove their address with a six-digit code, on top of the password.`,
  },
  { key: "allowFiles", label: msg`Allow files`, hint: msg`Off: shares carry text only.` },
  {
    key: "allowAnyoneRequests",
    label: msg`Allow requests that anyone with the link can answer`,
    hint: msg`Off: only members of the organization can answer a request.`,
  },
];

/**
 * The organization's sharing policy (SPEC F16), a section of the admins' Security tab: the rules
 * the server enforces on every share and request its members make, from any client. Members
 * meet them in the share form, which offers only what the policy allows.
 */
export function PolicyForm({ orgId }: { orgId: string }) {
  const { t, i18n } = useLingui();
  const ids = useId();
  const [policy, setPolicy] = useState<SharingPolicy | null>(null);
  const [viewsText, setViewsText] = useState("");
  const [fileMiBText, setFileMiBText] = useState("");
  const [fieldError, setFieldError] = useState<{ views?: string; files?: string }>({});
  const { busy, error, start, run } = useFormState(dashboardError);
  const [saved, setSaved] = useState(false);
  const { setting } = useOrgSetting(orgId, policiesApi.get, (answer: OrgPolicy) => {
    setPolicy(answer.policy);
    setViewsText(answer.policy.maxViews === null ? "" : String(answer.policy.maxViews));
    setFileMiBText(
      answer.policy.maxFileBytes === null
        ? ""
        : String(Math.floor(answer.policy.maxFileBytes / MIB)),
    );
  });

  if (setting.kind === "failed") {
    return (
      <LoadFailed title={t`The sharing policy could not be loaded`} message={setting.message} />
    );
  }
  if (!policy)
    return (
      <Loading>
        <Trans>Loading the sharing policy…</Trans>
      </Loading>
    );

  async function submit(event: FormEvent<HTMLFormElement>) {
    if (!start(event) || !policy) return;
    setSaved(false);
    const views = viewsText.trim() === "" ? null : Number(viewsText);
    const mib = fileMiBText.trim() === "" ? null : Number(fileMiBText);
    const problems: { views?: string; files?: string } = {};
    if (views !== null && (!Number.isInteger(views) || views < 1 || views > MAX_VIEWS)) {
      problems.views = t`Enter a whole number from 1 to ${MAX_VIEWS}, or leave it empty.`;
    }
    if (mib !== null && (!Number.isInteger(mib) || mib < 1)) {
      problems.files = t`Enter a whole number of MiB, at least 1, or leave it empty.`;
    }
    setFieldError(problems);
    if (problems.views || problems.files) return;
    await run(async () => {
      const answer = await policiesApi.put(orgId, {
        ...policy,
        maxViews: views,
        maxFileBytes: mib === null ? null : mib * MIB,
      });
      setPolicy(answer.policy);
      setSaved(true);
    });
  }

  const change = (next: Partial<SharingPolicy>) => {
    setPolicy({ ...policy, ...next });
    setSaved(false);
  };

  return (
    <div className="stack stack--tight">
      <p>
        <Trans>
          Rules for every secret shared or requested in this organization, from the web, the API and
          the command line. The server refuses what they forbid; shares made before a change keep
          their settings.
        </Trans>
      </p>
      <form
        className="stack stack--tight"
        onSubmit={(e) => void submit(e)}
        noValidate
        aria-busy={busy}
      >
        <div className="field">
          <label className="field__label" htmlFor={`${ids}-expiry`}>
            <Trans>Longest expiry</Trans>
          </label>
          <select
            id={`${ids}-expiry`}
            className="input select"
            value={policy.maxExpiresIn ?? ""}
            onChange={unlessBusy(busy, (e) =>
              change({ maxExpiresIn: e.target.value === "" ? null : Number(e.target.value) }),
            )}
            aria-disabled={busy || undefined}
          >
            <option value="">{t`This server's limit`}</option>
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.seconds} value={choice.seconds}>
                {formatDuration(choice.seconds)}
              </option>
            ))}
          </select>
        </div>
        <Field
          label={t`Most views per link`}
          hint={t`Empty: no limit but this server's.`}
          inputMode="numeric"
          value={viewsText}
          onChange={(e) => {
            setViewsText(e.target.value);
            setSaved(false);
          }}
          error={fieldError.views}
          readOnly={busy}
        />
        {TOGGLES.map((toggle) => (
          <CheckField
            key={toggle.key}
            id={`${ids}-${toggle.key}`}
            label={i18n._(toggle.label)}
            hint={i18n._(toggle.hint)}
            checked={policy[toggle.key]}
            onChange={(checked) => change({ [toggle.key]: checked })}
            busy={busy}
          />
        ))}
        {policy.allowFiles && (
          <Field
            label={t`Largest files per share (MiB)`}
            hint={t`All files of one share together. Empty: no limit but this server's.`}
            inputMode="numeric"
            value={fileMiBText}
            onChange={(e) => {
              setFileMiBText(e.target.value);
              setSaved(false);
            }}
            error={fieldError.files}
            readOnly={busy}
          />
        )}
        <FormSubmit busy={busy} error={error} label={t`Save policy`} busyLabel={t`Saving…`} />
      </form>
      <div role="status" aria-live="polite" className="live-region">
        {saved && (
          <Notice tone="success">
            <Trans>The sharing policy is saved.</Trans>
          </Notice>
        )}
      </div>
    </div>
  );
}
