import { useState, type FormEvent } from "react";

import { Loading } from "../../../components/Loading";
import { Notice } from "../../../components/Notice";
import { ToggleSwitch } from "../../../components/ToggleSwitch";
import { Field } from "../../accounts/components/Field";
import { dashboardApi } from "../../dashboard/api";
import { useOrgSetting } from "../../dashboard/use-org-setting";
import { ssoApi, type SsoSettings, type SsoTestResult } from "../api";

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
  const [draft, setDraft] = useState<Draft | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ tone: "success" | "danger"; text: string } | null>(null);
  const [test, setTest] = useState<Test>({ kind: "idle" });

  const { setting, setValue } = useOrgSetting(orgId, loadSso, (loaded) =>
    setDraft(draftOf(loaded.saved)),
  );

  if (setting.kind === "failed")
    return (
      <Notice tone="danger" role="alert">
        {setting.message}
      </Notice>
    );
  if (setting.kind === "loading" || !draft) return <Loading>Loading single sign-on…</Loading>;

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
      setTest({ kind: "failed", message: message(error, "Discovery failed.") });
    }
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy || !draft) return;
    setBusy(true);
    setStatus(null);
    try {
      const next = await ssoApi.save(orgId, {
        enabled: draft.enabled,
        issuer: draft.issuer.trim(),
        clientId: draft.clientId.trim(),
        ...(draft.clientSecret ? { clientSecret: draft.clientSecret } : {}),
        domains: domainsOf(draft.domains),
        requireSso: draft.requireSso,
        breakGlassUserIds: draft.breakGlass,
      });
      setValue({ saved: next, admins });
      setDraft(draftOf(next));
      setStatus({ tone: "success", text: "Saved. Single sign-on uses these settings now." });
    } catch (error) {
      setStatus({ tone: "danger", text: `Not saved: ${message(error, "try again.")}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="stack stack--tight"
      onSubmit={(e) => void submit(e)}
      noValidate
      aria-busy={busy}
    >
      <p className="field__hint">
        People whose address is at one of the domains below sign in at your identity provider
        (OpenID Connect) and join this organization on their first sign-in. Register Hushlink at the
        provider with this redirect URI:
      </p>
      <code className="sso-redirect" data-testid="redirect-uri">
        {saved.redirectUri}
      </code>
      <ToggleSwitch
        label="Use single sign-on"
        checked={draft.enabled}
        onChange={(enabled) => change({ enabled })}
      />
      <Field
        label="Issuer URL"
        name="issuer"
        type="url"
        inputMode="url"
        autoComplete="off"
        placeholder="https://login.example.com/realms/acme"
        hint="Hushlink reads <issuer>/.well-known/openid-configuration."
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
          {test.kind === "testing" ? "Testing…" : "Test connection"}
        </button>
      </div>
      <div role="status" aria-live="polite" className="live-region">
        {test.kind === "found" && (
          <Notice tone={test.result.pkce ? "success" : "warning"}>
            <span>
              Found the provider.
              {test.corrected && " The issuer URL now reads exactly as the provider names itself."}
            </span>
            <dl className="sso-found" data-testid="sso-found">
              <dt>Issuer</dt>
              <dd>{test.result.issuer}</dd>
              <dt>Authorization endpoint</dt>
              <dd>{test.result.authorizationEndpoint}</dd>
              <dt>Token endpoint</dt>
              <dd>{test.result.tokenEndpoint}</dd>
              <dt>Keys (JWKS)</dt>
              <dd>{test.result.jwksUri ?? "none published"}</dd>
              <dt>PKCE (S256)</dt>
              <dd>{test.result.pkce ? "supported" : "not announced"}</dd>
              <dt>Scopes</dt>
              <dd>{test.result.scopesSupported.join(" ") || "not announced"}</dd>
            </dl>
          </Notice>
        )}
        {test.kind === "failed" && <Notice tone="danger">{test.message}</Notice>}
      </div>
      <Field
        label="Client ID"
        name="clientId"
        autoComplete="off"
        value={draft.clientId}
        onChange={(e) => change({ clientId: e.target.value })}
      />
      <Field
        label="Client secret"
        name="clientSecret"
        password
        autoComplete="new-password"
        optional={saved.clientSecretSet}
        hint={
          saved.clientSecretSet
            ? "A secret is stored and is never shown again. Type a new one only to replace it."
            : "Stored sealed and never shown again."
        }
        value={draft.clientSecret}
        onChange={(e) => change({ clientSecret: e.target.value })}
      />
      <Field
        label="E-mail domains"
        name="domains"
        autoComplete="off"
        placeholder="example.com, example.org"
        hint="Separated by commas. A domain belongs to one organization only."
        value={draft.domains}
        onChange={(e) => change({ domains: e.target.value })}
      />
      <ToggleSwitch
        label="Require single sign-on"
        checked={draft.requireSso}
        onChange={(requireSso) => change({ requireSso })}
      />
      <fieldset className="fieldset">
        <legend className="field__label">Break-glass admins</legend>
        <p className="field__hint">
          These admins keep signing in with their password while single sign-on is required, so the
          organization is not locked out when the provider is down.
        </p>
        {admins.map((a) => (
          <div key={a.userId} className="check">
            <input
              id={`break-glass-${a.userId}`}
              className="check__input"
              type="checkbox"
              checked={draft.breakGlass.includes(a.userId)}
              onChange={(e) =>
                change({
                  breakGlass: e.target.checked
                    ? [...draft.breakGlass, a.userId]
                    : draft.breakGlass.filter((id) => id !== a.userId),
                })
              }
            />
            <label className="check__label" htmlFor={`break-glass-${a.userId}`}>
              {a.name ? `${a.name} (${a.email})` : a.email}
            </label>
          </div>
        ))}
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? "Saving…" : "Save single sign-on"}
        </button>
      </div>
      <div role="status" aria-live="polite" className="live-region">
        {status && <Notice tone={status.tone}>{status.text}</Notice>}
      </div>
    </form>
  );
}
