import { t } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { useId, useRef, useState, type FormEvent } from "react";

import { BusyForm } from "../../../components/BusyForm";
import { FormSubmit } from "../../../components/FormSubmit";
import { LinkIcon } from "../../../components/icons";
import { isApiError, rateLimitedMessage } from "../../../lib/api";
import { unlessBusy } from "../../../lib/busy";
import { useFormState } from "../../../lib/use-form-state";
import { useMe, type OrgMembership } from "../../../lib/session";
import { expiryChoices } from "../../shares/choices";
import { ExpiresInField } from "../../shares/components/ExpiresInField";
import { NameField } from "../../shares/components/NameField";
import { SessionEnded } from "../../shares/components/SessionEnded";
import { useSessionEnded } from "../../shares/use-session-ended";
import { usePublicConfig } from "../../shares/use-public-config";
import type { Access } from "../api";
import { createEndToEndRequest, type CreatedEndToEnd } from "../e2e";

/** The answer and both links, plus what the form sent, to show it. */
export type CreatedRequest = CreatedEndToEnd & { name: string | null; access: Access };

/** Someone needs time to find the secret; a week fits most requests (the choices are shares'). */
const DEFAULT_EXPIRES_IN = 7 * 24 * 3600;

function errorMessage(error: unknown, signedIn: boolean): string {
  if (isApiError(error, "rate_limited")) return rateLimitedMessage();
  if (isApiError(error) && error.status === 401 && !signedIn) {
    return t`This server lets only people with an account ask for secrets. Sign in first.`;
  }
  if (isApiError(error) && error.status === 401) {
    return t`Your session ended. Sign in again, then create the request.`;
  }
  if (isApiError(error)) return error.message;
  return t`The request could not be created. Try again.`;
}

/**
 * SPEC F6 and F13: name (optional), expires in, and who may answer (members only with an
 * organization). Every request made here is end-to-end: the keys are made in this browser.
 * Without `org` (the public page) the request belongs to whoever is signed in, or to nobody.
 */
export function NewRequestForm({
  org,
  onCreated,
}: {
  org: OrgMembership | null;
  onCreated: (request: CreatedRequest) => void;
}) {
  const { t } = useLingui();
  const ids = useId();
  const config = usePublicConfig();
  const [name, setName] = useState("");
  const [expiresIn, setExpiresIn] = useState(DEFAULT_EXPIRES_IN);
  const [access, setAccess] = useState<Access>("anyone");
  const me = useMe();
  const signedIn = org !== null || me !== null;
  const { busy, error, start, run } = useFormState((caught) => errorMessage(caught, signedIn));
  // The public page's create found the session ended (401 login_required while signed in): as
  // the share form does, the form stays and offers to sign in again or to go on without one.
  const formRef = useRef<HTMLFormElement>(null);
  const { sessionEnded, setSessionEnded, goOnAnonymously } = useSessionEnded(me, formRef);
  const mayGoOnAnonymously = org === null && me !== null && config?.anonymousRequests !== false;

  const orgName = org ? org.name : null;
  const choices = expiryChoices(config);
  // A server configured below a week: fall back to its longest choice.
  const selected = choices.some((c) => c.seconds === expiresIn)
    ? expiresIn
    : (choices[choices.length - 1]?.seconds ?? expiresIn);

  async function submit(event: FormEvent<HTMLFormElement>) {
    if (!start(event)) return;
    setSessionEnded(false);
    const trimmed = name.trim();
    await run(
      async () => {
        const created = await createEndToEndRequest({
          ...(trimmed ? { name: trimmed } : {}),
          expiresIn: selected,
          access: org ? access : "anyone",
          ...(org ? { orgId: org.id } : {}),
        });
        onCreated({ ...created, name: trimmed || null, access: org ? access : "anyone" });
      },
      {
        leaving: true,
        failure: (caught) => {
          if (!mayGoOnAnonymously || !isApiError(caught, "login_required"))
            return errorMessage(caught, signedIn);
          setSessionEnded(true);
          return null;
        },
      },
    );
  }

  return (
    <BusyForm ref={formRef} busy={busy} onSubmit={submit}>
      <NameField
        id={`${ids}-name`}
        label={t`What do you need?`}
        value={name}
        onChange={setName}
        placeholder={t`e.g. Staging database password`}
        hint={t`Shown on the request page, so the person you ask knows what to send.`}
        readOnly={busy}
      />

      <div className="field-row">
        <ExpiresInField
          id={`${ids}-expires`}
          choices={choices}
          value={selected}
          onChange={setExpiresIn}
          busy={busy}
        />

        {orgName !== null && (
          <fieldset className="fieldset field">
            <legend className="field__label">
              <Trans>Who can answer</Trans>
            </legend>
            <div className="choice-list">
              <label className="choice">
                <input
                  type="radio"
                  name={`${ids}-access`}
                  value="anyone"
                  checked={access === "anyone"}
                  onClick={unlessBusy(busy)}
                  onChange={unlessBusy(busy, () => setAccess("anyone"))}
                  aria-disabled={busy || undefined}
                />
                <span>
                  <Trans>Anyone with the link</Trans>
                </span>
              </label>
              <label className="choice">
                <input
                  type="radio"
                  name={`${ids}-access`}
                  value="organization"
                  checked={access === "organization"}
                  onClick={unlessBusy(busy)}
                  onChange={unlessBusy(busy, () => setAccess("organization"))}
                  aria-disabled={busy || undefined}
                />
                <span>
                  <Trans>Only members of {orgName}</Trans>
                </span>
              </label>
            </div>
          </fieldset>
        )}
      </div>

      {sessionEnded && <SessionEnded what="request" onAnonymous={goOnAnonymously} />}

      <FormSubmit
        busy={busy}
        error={error}
        label={t`Create request link`}
        busyLabel={t`Creating…`}
        icon={<LinkIcon />}
      />
    </BusyForm>
  );
}
