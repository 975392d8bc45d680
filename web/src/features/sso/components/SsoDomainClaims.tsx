import { useState } from "react";
import { Trans, useLingui } from "@lingui/react/macro";

import { DomainName } from "../../../components/Address";
import { Notice } from "../../../components/Notice";
import { ssoApi, type SsoSettings } from "../api";

type Claim = SsoSettings["domainClaims"][number];

/**
 * The organization's domain claims with their DNS proof (SPEC F15): a pending domain shows the
 * TXT record to add and a "Check now" button; only proven domains route sign-ins.
 */
export function SsoDomainClaims(props: {
  orgId: string;
  claims: Claim[];
  onChecked: (next: SsoSettings) => void;
}) {
  const { t } = useLingui();
  const [checking, setChecking] = useState<string | null>(null);
  const [result, setResult] = useState<{ tone: "success" | "danger"; text: string } | null>(null);
  if (props.claims.length === 0) return null;

  async function check(domain: string) {
    setChecking(domain);
    setResult(null);
    try {
      props.onChecked(await ssoApi.verifyDomain(props.orgId, domain));
      setResult({
        tone: "success",
        text: t`${domain} is proven: sign-ins there go to your provider.`,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : "";
      setResult({ tone: "danger", text: t`Not proven yet: ${reason}` });
    } finally {
      setChecking(null);
    }
  }

  return (
    <div className="sso-claims">
      <ul className="sso-claims__list">
        {props.claims.map(({ domain, ...claim }) => (
          <li key={domain} className="sso-claims__item" data-testid="sso-claim">
            <div className="sso-claims__head">
              <strong>
                <DomainName domain={domain} />
              </strong>
              {claim.status === "proven" ? (
                <span className="badge badge--success">
                  <Trans>Proven</Trans>
                </span>
              ) : (
                <span className="badge badge--warning">
                  <Trans>Waiting for proof</Trans>
                </span>
              )}
            </div>
            {claim.status === "pending" && (
              <>
                <p className="field__hint">
                  <Trans>Add this TXT record at your DNS host, then check:</Trans>
                </p>
                <dl className="sso-found">
                  <dt>
                    <Trans>Name</Trans>
                  </dt>
                  <dd>
                    <code className="sso-redirect">{claim.recordName}</code>
                  </dd>
                  <dt>
                    <Trans>Value</Trans>
                  </dt>
                  <dd>
                    <code className="sso-redirect">{claim.recordValue}</code>
                  </dd>
                </dl>
                <div className="form-actions">
                  <button
                    type="button"
                    className="button button--secondary"
                    // aria-disabled while checking, not disabled: that drops the focus to <body>.
                    aria-disabled={checking !== null || undefined}
                    aria-label={t`Check now: ${domain}`}
                    onClick={checking !== null ? undefined : () => void check(domain)}
                  >
                    {checking === domain ? t`Checking…` : t`Check now`}
                  </button>
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      <div role="status" aria-live="polite" className="live-region">
        {result && <Notice tone={result.tone}>{result.text}</Notice>}
      </div>
    </div>
  );
}
