import { useLingui } from "@lingui/react/macro";

import { accountsApi } from "../api";
import { NewPasswordForm } from "./NewPasswordForm";

/**
 * A verification link opened outside the browser that signed up (issue 15): whoever typed the
 * address may not be the owner of the inbox, so confirming it also sets a new password, and the
 * one typed at sign-up stops working.
 */
export function VerifyNewPassword({
  token,
  onVerified,
  onInvalid,
}: {
  token: string;
  onVerified: () => void;
  onInvalid: () => void;
}) {
  const { t } = useLingui();
  return (
    <NewPasswordForm
      title={t`Choose a password to confirm your address`}
      lead={t`This link was opened in another browser than the one that signed up. To make sure nobody else can sign in with the password typed then, choose a new one.`}
      label={t`Confirm and set password`}
      busyLabel={t`Confirming…`}
      hint={t`Every device signed in to the account is signed out; this browser is signed in.`}
      save={async (password) => {
        await accountsApi.verifyEmail(token, password);
        onVerified();
      }}
      onInvalidLink={onInvalid}
    />
  );
}
