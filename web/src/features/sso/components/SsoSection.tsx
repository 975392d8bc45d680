import { useState, type FormEvent } from "react";
import { Trans, useLingui } from "@lingui/react/macro";

import { CheckField } from "../../../components/CheckField";
import { BusyForm } from "../../../components/BusyForm";
import { Loading } from "../../../components/Loading";
import { Notice } from "../../../components/Notice";
import { ToggleSwitch } from "../../../components/ToggleSwitch";
import { Field } from "../../accounts/components/Field";
import { RecentProofPrompt, useRecentProof } from "../../accounts/components/RecentProofPrompt";
import { dashboardApi } from "../../dashboard/api";
import { useOrgSetting } from "../../dashboard/use-org-setting";
import { ssoApi, type SsoSettings, type SsoSettingsBody, type SsoTestResult } from "../api";
import { SsoDomainClaims } from "./SsoDomainClaims";

type Test =
  | { kind: "idle" }
  | { kind: "testing" }
  | { kind: "found"; result: SsoTestResult; corrected: boolean }
  | { kind: "failed"; message: string };

interface Draft {
  enabled: boolean;
  issuer: string;
  clientId: string;
  /** Empty: keep the stored secret. */
  clientSecret: string;
  domains: string;
  requireSso: boolean;
  breakGlass: string[];
}

const draftOf = (s: SsoSettings): Draft => ({
  enabled: s.enabled,
  issuer: s.issuer ?? "",
  clientId: s.clientId ?? "",
  clientSecret: "",
  domains: s.domains.join(", "),
  requireSso: s.requireSso,
  breakGlass: s.breakGlassUserIds,
});

/** A path, a protocol's name and example domains: the same in every language. */
const WELL_KNOWN = "<issuer>/.well-known/openid-configuration";
const PKCE = "PKCE (S256)";
const EXAMPLE_DOMAINS = "example.com, example.org";

const domainsOf = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);

const message = (error: unknown, fallback: string) =>
  error instanceof Error ? error.message : fallback;

/** The settings, and the admins who may be kept out of single sign-on (break-glass). */
async function loadSso(orgId: string) {
  const [saved, members] = await Promise.all([ssoApi.settings(orgId), dashboardApi.members(orgId)]);
  return { saved, admins: members.items.filter((m) => m.role === "admin") };
}

/**
 * Single sign-on (SPEC F15): the organization's OpenID Connect provider. The client secret is
 * write-only: the server never answers it, the field only replaces it.
 */
export function SsoSection({ orgId }: { orgId: string }) {
  const { t } = useLingui();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ tone: "success" | "danger"; text: string } | null>(null);
  const [test, setTest] = useState<Test>({ kind: "idle" });
  // A change that redirects or weakens sign-in, from a session signed in a while ago.
  const proof = useRecentProof();

  const { setting, setValue } = useOrgSetting(orgId, loadSso, (loaded) =>
    setDraft(draftOf(loaded.saved)),
  );

  if (setting.kind === "failed")
    return (
      <Notice tone="danger" role="alert">
        {setting.message}
      </Notice>
    );
  if (setting.kind === "loading" || !draft)
    return (
      <Loading>
        <Trans>Loading single sign-on…</Trans>
      </Loading>
    );

  const { saved, admins } = setting.value;
  const change = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setStatus(null);
  };

  async function runTest() {
    if (!draft) return;
    setTest({ kind: "testing" });
    const typed = draft.issuer.trim();
    try {
      const result = await ssoApi.test(orgId, typed);
      // The provider's own spelling (a trailing slash more or less) is what sign-ins compare.
      const corrected = result.issuer !== typed;
      if (corrected) setDraft({ ...draft, issuer: result.issuer });
      setTest({ kind: "found", result, corrected });
    } catch (error) {
      setTest({ kind: "failed", message: message(error, t`Discovery failed.`) });
    }
  }

  async function save(body: SsoSettingsBody) {
    const next = await ssoApi.save(orgId, body);
    setValue({ saved: next, admins });
    setDraft(draftOf(next));
    setStatus({ tone: "success", text: t`Saved. Single sign-on uses these settings now.` });
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || !draft) return;
    setBusy(true);
    setStatus(null);
    const body = {
      enabled: draft.enabled,
      issuer: draft.issuer.trim(),
      clientId: draft.clientId.trim(),
      ...(draft.clientSecret ? { clientSecret: draft.clientSecret } : {}),
      domains: domainsOf(draft.domains),
      requireSso: draft.requireSso,
      breakGlassUserIds: draft.breakGlass,
    };
    try {
      await save(body);
    } catch (error) {
      if (!proof.ask(error, (password) => save({ ...body, password }))) {
        const reason = message(error, t`try again.`);
        setStatus({ tone: "danger", text: t`Not saved: ${reason}` });
      }
    } finally {
      setBusy(false);
    }
  }

  // In place of the form, which keeps the draft for Cancel.
  if (proof.retry)
    return (
      <RecentProofPrompt proof={proof} label={t`Save single sign-on`} busyLabel={t`Saving…`} />
    );

  return (
    <BusyForm busy={busy} onSubmit={submit}>
      <p className="field__hint">
        <Trans>
          People whose address is at one of the domains below sign in at your identity provider
          (OpenID Connect) and join this organization on their first sign-in. Register Hushlink at
          the provider with this redirect URI:
        </Trans>
      </p>
      <code className="sso-redirect" data-testid="redirect-uri">
        {saved.redirectUri}
      </code>
      <ToggleSwitch
        label={t`Use single sign-on`}
        checked={draft.enabled}
        onChange={(enabled) => change({ enabled })}
      />
      <Field
        label={t`Issuer URL`}
        name="issuer"
        type="url"
        inputMode="url"
        autoComplete="off"
        placeholder="https://login.example.com/realms/acme"
        hint={t`Hushlink reads ${WELL_KNOWN}.`}
        value={draft.issuer}
        onChange={(e) => change({ issuer: e.target.value })}
      />
      <div className="form-actions">
        <button
          type="button"
          className="button button--secondary"
          disabled={test.kind === "testing" || !draft.issuer.trim()}
          onClick={() => void runTest()}
        >
          {test.kind === "testing" ? t`Testing…` : t`Test connection`}
        </button>
      </div>
      <div role="status" aria-live="polite" className="live-region">
        {test.kind === "found" && (
          <Notice tone={test.result.pkce ? "success" : "warning"}>
            <span>
              {test.corrected ? (
                <Trans>
                  Found the provider. The issuer URL now reads exactly as the provider names itself.
                </Trans>
              ) : (
                <Trans>Found the provider.</Trans>
              )}
            </span>
            <dl className="sso-found" data-testid="sso-found">
              <dt>
                <Trans>Issuer</Trans>
              </dt>
              <dd>{test.result.issuer}</dd>
              <dt>
                <Trans>Authorization endpoint</Trans>
              </dt>
              <dd>{test.result.authorizationEndpoint}</dd>
              <dt>
                <Trans>Token endpoint</Trans>
              </dt>
              <dd>{test.result.tokenEndpoint}</dd>
              <dt>
                <Trans>Keys (JWKS)</Trans>
              </dt>
              <dd>{test.result.jwksUri ?? t`none published`}</dd>
              <dt>{PKCE}</dt>
              <dd>{test.result.pkce ? t`supported` : t`not announced`}</dd>
              <dt>
                <Trans>Scopes</Trans>
              </dt>
              <dd>{test.result.scopesSupported.join(" ") || t`not announced`}</dd>
            </dl>
          </Notice>
        )}
        {test.kind === "failed" && <Notice tone="danger">{test.message}</Notice>}
      </div>
      <Field
        label={t`Client ID`}
        name="clientId"
        autoComplete="off"
        value={draft.clientId}
        onChange={(e) => change({ clientId: e.target.value })}
      />
      <Field
        label={t`Client secret`}
        name="clientSecret"
        password
        autoComplete="new-password"
        optional={saved.clientSecretSet}
        hint={
          saved.clientSecretSet
            ? t`A secret is stored and is never shown again. Type a new one only to replace it.`
            : t`Stored sealed and never shown again.`
        }
        value={draft.clientSecret}
        onChange={(e) => change({ clientSecret: e.target.value })}
      />
      <Field
        label={t`E-mail domains`}
        name="domains"
        autoComplete="off"
        placeholder={EXAMPLE_DOMAINS}
        hint={t`Separated by commas. A domain counts once its DNS shows it is yours.`}
        value={draft.domains}
        onChange={(e) => change({ domains: e.target.value })}
      />
      <SsoDomainClaims
        orgId={orgId}
        claims={saved.domainClaims}
        onChecked={(next) => setValue({ saved: next, admins })}
      />
      <ToggleSwitch
        label={t`Require single sign-on`}
        checked={draft.requireSso}
        onChange={(requireSso) => change({ requireSso })}
      />
      <fieldset className="fieldset">
        <legend className="field__label">
          <Trans>Break-glass admins</Trans>
        </legend>
        <p className="field__hint">
          <Trans>
            These admins keep signing in with their password while single sign-on is required, so
            the organization is not locked out when the provider is down.
          </Trans>
        </p>
        {admins.map((a) => (
          <CheckField
            key={a.userId}
            id={`break-glass-${a.userId}`}
            label={a.name ? `${a.name} (${a.email})` : a.email}
            checked={draft.breakGlass.includes(a.userId)}
            onChange={(checked) =>
              change({
                breakGlass: checked
                  ? [...draft.breakGlass, a.userId]
                  : draft.breakGlass.filter((id) => id !== a.userId),
              })
            }
          />
        ))}
      </fieldset>
      <div className="form-actions">
        {/* aria-disabled while saving, as FormSubmit's: disabled would drop the focus to <body>.
            A press meanwhile is cancelled. */}
        <button
          type="submit"
          className="button button--primary"
          aria-disabled={busy || undefined}
          onClick={busy ? (event) => event.preventDefault() : undefined}
        >
          {busy ? t`Saving…` : t`Save single sign-on`}
        </button>
      </div>
      <div role="status" aria-live="polite" className="live-region">
        {status && <Notice tone={status.tone}>{status.text}</Notice>}
      </div>
    </BusyForm>
  );
}
