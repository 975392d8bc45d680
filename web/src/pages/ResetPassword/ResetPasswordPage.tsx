import { useState } from "react";

import { Trans, useLingui } from "@lingui/react/macro";

import { accountsApi } from "../../features/accounts/api";
import { NewPasswordForm } from "../../features/accounts/components/NewPasswordForm";
import { Outcome, OutcomeLink } from "../../features/accounts/components/Outcome";
import { useDocumentTitle } from "../../lib/use-document-title";

/**
 * `/reset-password#<token>`: the token arrives in the fragment (never sent to the server by the
 * browser, never in logs); main.tsx took it from the address bar before the first render.
 */
export function ResetPasswordPage({ token }: { token: string }) {
  const { t } = useLingui();
  useDocumentTitle(t`Choose a new password`);
  const [invalidLink, setInvalidLink] = useState(!token);

  if (invalidLink) {
    return (
      <div className="card card--narrow">
        <Outcome tone="warning" title={t`This reset link does not work`}>
          <p className="lead">
            {token
              ? t`It was used already, or it expired. Ask for a new one.`
              : t`It is incomplete: the part after “#” is missing. Open the whole link from the e-mail, or ask for a new one.`}
          </p>
          <OutcomeLink href="/forgot-password" primary>
            <Trans>Ask for a new link</Trans>
          </OutcomeLink>
        </Outcome>
      </div>
    );
  }

  return (
    <NewPasswordForm
      title={t`Choose a new password`}
      lead={t`After the change, every device signed in to your account is signed out.`}
      label={t`Set new password`}
      busyLabel={t`Saving…`}
      save={async (password) => {
        await accountsApi.confirmPasswordReset(token, password);
        window.location.replace("/login?notice=password-reset");
      }}
      onInvalidLink={() => setInvalidLink(true)}
    />
  );
}
