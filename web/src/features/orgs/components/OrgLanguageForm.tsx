import { useCallback, useId, useState, type FormEvent } from "react";
import { Trans, useLingui } from "@lingui/react/macro";

import { FormSubmit } from "../../../components/FormSubmit";
import { Loading } from "../../../components/Loading";
import { Notice } from "../../../components/Notice";
import { LocaleOptions } from "../../../components/LocaleOptions";
import { isLocale, NATIVE_NAMES, type Locale } from "../../../i18n/locales";
import { unlessBusy } from "../../../lib/busy";
import { useFormState } from "../../../lib/use-form-state";
import { brandingApi } from "../../branding/api";
import { TabIntro } from "../../dashboard/components/TabIntro";
import { dashboardError } from "../../dashboard/errors";
import { useOrgSetting } from "../../dashboard/use-org-setting";
import { Gap } from "../../../components/SideBySide";
import { AdminsOnly } from "./AdminsOnly";

/** The organization's language, or null: each person's own, else English. */
const loadLocale = async (orgId: string): Promise<Locale | null> =>
  (await brandingApi.get(orgId)).defaultLocale ?? null;

/**
 * The organization's default language (SPEC F17): e-mails go out in it when neither the person
 * they are for nor the person who caused them picked a language, and the organization's branded
 * pages show it to visitors whose browsers ask for none of ours. Admins pick it; members read it.
 */
export function OrgLanguageForm({ orgId, isAdmin }: { orgId: string; isAdmin: boolean }) {
  const { t } = useLingui();
  const ids = useId();
  const [draft, setDraft] = useState<Locale | null>(null);
  const onLoaded = useCallback((value: Locale | null) => setDraft(value), []);
  const { setting, setValue, retry } = useOrgSetting(orgId, loadLocale, onLoaded);
  const { busy, error, start, run } = useFormState(dashboardError);
  const [saved, setSaved] = useState<{ locale: Locale | null } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    if (!start(event)) return;
    setSaved(null);
    await run(async () => {
      const answer = await brandingApi.setDefaultLocale(orgId, draft);
      const locale = answer.defaultLocale ?? null;
      setValue(locale);
      setDraft(locale);
      setSaved({ locale });
    });
  }

  const nameOf = (locale: Locale | null) => (locale ? NATIVE_NAMES[locale] : t`Not set (English)`);
  const savedName = saved ? nameOf(saved.locale) : "";

  return (
    <section className="panel stack stack--tight" aria-labelledby={`${ids}-heading`}>
      <TabIntro headingId={`${ids}-heading`} title={t`Default language`}>
        <Trans>
          E-mails go out in the language their reader picked, else in the language of whoever caused
          them, else in this one. Your branded share and request pages show it to visitors whose
          browsers ask for a language these pages do not offer.
        </Trans>
      </TabIntro>
      {setting.kind === "loading" && (
        <Loading>
          <Trans>Loading the language…</Trans>
        </Loading>
      )}
      {setting.kind === "failed" && (
        <Notice tone="danger" role="alert">
          {setting.message}
          <Gap />
          <button type="button" className="link-button" onClick={retry}>
            <Trans>Try again</Trans>
          </button>
        </Notice>
      )}
      {setting.kind === "ready" &&
        (isAdmin ? (
          <form className="stack stack--tight" onSubmit={(e) => void submit(e)} noValidate>
            <div className="field-row">
              <div className="field">
                <label className="field__label" htmlFor={`${ids}-locale`}>
                  <Trans>Language</Trans>
                </label>
                <select
                  id={`${ids}-locale`}
                  className="input select"
                  value={draft ?? ""}
                  onChange={unlessBusy(busy, (e) =>
                    setDraft(isLocale(e.target.value) ? e.target.value : null),
                  )}
                  aria-disabled={busy || undefined}
                >
                  <option value="">{nameOf(null)}</option>
                  <LocaleOptions />
                </select>
              </div>
            </div>
            <FormSubmit busy={busy} error={error} label={t`Save language`} busyLabel={t`Saving…`} />
          </form>
        ) : (
          <AdminsOnly>
            <strong lang={setting.value ?? undefined}>{nameOf(setting.value)}</strong>
          </AdminsOnly>
        ))}
      <div role="status" aria-live="polite" className="live-region">
        {saved && (
          <Notice tone="success">
            {saved.locale ? (
              <Trans>The default language is now {savedName}.</Trans>
            ) : (
              <Trans>The organization has no default language now; English takes its place.</Trans>
            )}
          </Notice>
        )}
      </div>
    </section>
  );
}
