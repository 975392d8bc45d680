import { useState } from "react";
import { useLingui } from "@lingui/react/macro";

import { isApiError } from "../../../lib/api";
import { useMe } from "../../../lib/session";
import { PasswordAction } from "./PasswordAction";

type Retry = (password: string) => Promise<void>;

/**
 * An admin's change the server refused with 403 recent_sign_in_required (the session signed in
 * over 15 minutes ago: making someone admin, a webhook's address, single sign-on), kept to be
 * retried with the password. `ask` in a form's failure handler says whether it was that refusal.
 */
export function useRecentProof() {
  const [retry, setRetry] = useState<Retry | null>(null);
  return {
    retry,
    ask: (caught: unknown, again: Retry) => {
      if (!isApiError(caught, "recent_sign_in_required")) return false;
      setRetry(() => again);
      return true;
    },
    cancel: () => setRetry(null),
  };
}

/**
 * The password asked for in place of the refused change, as creating an API token asks for it
 * (CreateTokenForm): the same PasswordAction, open and focused; Cancel hands the form back.
 */
export function RecentProofPrompt({
  proof,
  label,
  busyLabel,
  fieldLabel,
  onDone,
}: {
  proof: ReturnType<typeof useRecentProof>;
  /** The refused action's own button words ("Change role", "Send invitation"…). */
  label: string;
  busyLabel: string;
  /** The field's label where the change has a name of its own ("…to make Ana an admin"). */
  fieldLabel?: string | undefined;
  onDone?: () => void;
}) {
  const { t } = useLingui();
  const email = useMe()?.user.email ?? "";
  const { retry, cancel } = proof;
  if (!retry) return null;
  return (
    <PasswordAction
      email={email}
      label={label}
      fieldLabel={fieldLabel ?? t`Your password, to confirm this change`}
      busyLabel={busyLabel}
      hint={t`You signed in a while ago, so confirm it is you before this change. If you sign in through single sign-on, sign out and sign in again instead.`}
      startOpen
      onCancel={cancel}
      run={async (password) => {
        await retry(password);
        cancel();
        onDone?.();
      }}
    />
  );
}
