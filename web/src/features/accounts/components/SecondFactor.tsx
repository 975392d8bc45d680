import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";

import { plural } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";

import type { SecondFactorStatus, TotpEnrolment } from "@hushlink/protocol";

import { CancelButton } from "../../../components/CancelButton";
import { CopyButton } from "../../../components/CopyButton";
import { FormSubmit } from "../../../components/FormSubmit";
import { Notice } from "../../../components/Notice";
import { activeLocale } from "../../../i18n/i18n";
import { SOURCE_LOCALE } from "../../../i18n/locales";
import { isApiError } from "../../../lib/api";
import { useCopy } from "../../../lib/use-copy";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";
import { useFormState } from "../../../lib/use-form-state";
import { TabIntro } from "../../dashboard/components/TabIntro";
import { dashboardError } from "../../dashboard/errors";
import { accountsApi } from "../api";
import { recentProofHint } from "../errors";
import { Field } from "./Field";
import { Passkeys } from "./Passkeys";
import { PasswordAction } from "./PasswordAction";
import { SideBySide } from "../../../components/SideBySide";
import { BusyButton } from "../../../components/BusyButton";

type View =
  | { kind: "status" }
  /** The session signed in too long ago to add a factor alone: the password first. */
  | { kind: "prove" }
  | { kind: "enrolling"; enrolment: TotpEnrolment }
  | { kind: "codes"; codes: string[] };

/**
 * Two-step sign-in (F16) in the Account tab: set up an authenticator app (QR code, then a first
 * code), add passkeys (Passkeys.tsx), see the recovery codes once, make new ones, or turn the app
 * off. Both of the last two prove the password again.
 */
export function SecondFactor({
  email,
  onDone,
}: {
  email: string;
  /** After the recovery codes were acknowledged (the dashboard opens up when it was required). */
  onDone?: () => void;
}) {
  const { t } = useLingui();
  const ids = useId();
  const [status, setStatus] = useState<SecondFactorStatus | null>(null);
  const [view, setView] = useState<View>({ kind: "status" });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    accountsApi
      .secondFactor()
      .then(setStatus)
      .catch((caught: unknown) => setError(dashboardError(caught)));
  }, []);
  useEffect(load, [load]);

  async function start() {
    setBusy(true);
    setError(null);
    try {
      setView({ kind: "enrolling", enrolment: await accountsApi.startTotp() });
    } catch (caught) {
      if (isApiError(caught, "recent_sign_in_required")) setView({ kind: "prove" });
      else setError(dashboardError(caught));
    } finally {
      setBusy(false);
    }
  }

  // Cancel brings back the button the set-up replaced: the focus goes to it, not to <body>.
  const cancelled = useRef(false);
  function cancel() {
    cancelled.current = true;
    setView({ kind: "status" });
  }

  const enabled = status?.totp.enabled === true;
  const passkeyCount = status?.passkeys.count ?? 0;
  const remaining = status?.recoveryCodes.remaining ?? 0;
  // English pages keep the browser's own date format; others write it as their language does.
  const since = status?.totp.enabledAt
    ? new Date(status.totp.enabledAt).toLocaleDateString(
        activeLocale() === SOURCE_LOCALE ? undefined : activeLocale(),
      )
    : null;

  return (
    <section className="panel stack stack--tight" aria-labelledby={`${ids}-heading`}>
      <TabIntro headingId={`${ids}-heading`} title={t`Two-step sign-in`}>
        <Trans>
          With an authenticator app or a passkey, signing in asks for a code from your phone or your
          device's fingerprint, face or PIN after the password, so a stolen password alone does not
          open your account.
        </Trans>
      </TabIntro>
      {error && <Notice tone="danger">{error}</Notice>}
      {view.kind === "prove" && (
        <PasswordAction
          email={email}
          label={t`Set up an authenticator app`}
          fieldLabel={t`Your password, to set up an authenticator app`}
          busyLabel={t`Checking…`}
          hint={recentProofHint()}
          startOpen
          onCancel={cancel}
          run={async (password) =>
            setView({ kind: "enrolling", enrolment: await accountsApi.startTotp(password) })
          }
        />
      )}
      {view.kind === "enrolling" && (
        <Enrol
          enrolment={view.enrolment}
          onCancel={cancel}
          onProofNeeded={() => setView({ kind: "prove" })}
          onConfirmed={(codes) => {
            setView({ kind: "codes", codes });
            load();
          }}
        />
      )}
      {view.kind === "codes" && (
        <ShownOnce
          codes={view.codes}
          onDone={() => {
            setView({ kind: "status" });
            load();
            onDone?.();
          }}
        />
      )}
      {view.kind === "status" && status && !enabled && (
        <div className="form-actions">
          <BusyButton
            ref={(button) => {
              if (button && cancelled.current) button.focus();
              cancelled.current = false;
            }}
            className="button button--primary"
            busy={busy}
            onClick={() => void start()}
          >
            <Trans>Set up an authenticator app</Trans>
          </BusyButton>
        </div>
      )}
      {view.kind === "status" && status && (enabled || passkeyCount > 0) && (
        <>
          <p>
            {enabled && (
              <>
                <SideBySide
                  first={
                    <span className="badge badge--success">
                      <Trans>On</Trans>
                    </span>
                  }
                  second={
                    <SideBySide
                      first={<Trans>Authenticator app</Trans>}
                      second={
                        since && (
                          <span className="muted">
                            <Trans>· since {since}</Trans>
                          </span>
                        )
                      }
                    />
                  }
                />
                <br />
              </>
            )}
            <span className="muted">
              {plural(remaining, {
                one: "# unused recovery code",
                other: "# unused recovery codes",
              })}
            </span>
          </p>
          <PasswordAction
            email={email}
            label={t`Make new recovery codes`}
            fieldLabel={t`Your password, to make new recovery codes`}
            busyLabel={t`Making…`}
            hint={t`The codes you have now stop working.`}
            run={async (password) => {
              const { recoveryCodes } = await accountsApi.newRecoveryCodes(password);
              setView({ kind: "codes", codes: recoveryCodes });
            }}
          />
          {enabled && (
            <PasswordAction
              email={email}
              label={t`Turn the authenticator app off`}
              fieldLabel={t`Your password, to turn the authenticator app off`}
              busyLabel={t`Turning off…`}
              hint={
                passkeyCount > 0
                  ? t`Your passkeys and recovery codes stay.`
                  : t`Your password alone will sign you in again; the recovery codes stop working.`
              }
              danger
              run={async (password) => {
                await accountsApi.removeTotp(password);
                load();
              }}
            />
          )}
        </>
      )}
      {view.kind === "status" && status && (
        <Passkeys
          email={email}
          onChanged={load}
          onRecoveryCodes={(codes) => setView({ kind: "codes", codes })}
        />
      )}
    </section>
  );
}

function Enrol({
  enrolment,
  onCancel,
  onProofNeeded,
  onConfirmed,
}: {
  enrolment: TotpEnrolment;
  onCancel: () => void;
  /** Started over 15 minutes ago on a session as old: the password, then a new secret. */
  onProofNeeded: () => void;
  onConfirmed: (codes: string[]) => void;
}) {
  const { t } = useLingui();
  const [qr, setQr] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const {
    busy,
    error,
    fieldError,
    start,
    invalid,
    run,
    fieldRef: codeRef,
  } = useFormState(dashboardError);
  // The step replaces the button or password that led to it: the focus goes to its first words,
  // not to <body>, and not past the QR code and the key to the field below them.
  const steps = useFocusOnMount<HTMLOListElement>();

  useEffect(() => {
    let cancelled = false;
    // The library the share page already loads for its link's QR code, loaded here on demand.
    import("qrcode")
      .then((lib) =>
        lib.toDataURL(enrolment.otpauthUrl, { errorCorrectionLevel: "M", margin: 2, width: 352 }),
      )
      .then((url) => {
        if (!cancelled) setQr(url);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [enrolment.otpauthUrl]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    if (!start(event)) return;
    if (!/^\d{3}\s?\d{3}$/.test(code.trim())) return invalid(t`Enter the 6 digits the app shows.`);
    await run(
      async () => {
        const { recoveryCodes } = await accountsApi.confirmTotp(code.trim());
        onConfirmed(recoveryCodes);
      },
      {
        failure: (caught) => {
          if (isApiError(caught, "recent_sign_in_required")) {
            onProofNeeded();
            return null;
          }
          if (!isApiError(caught, "invalid_code")) return dashboardError(caught);
          setCode("");
          return { field: caught.message };
        },
        leaving: true,
      },
    );
  }

  return (
    <form className="stack stack--tight" onSubmit={(e) => void submit(e)} noValidate>
      <ol className="stack stack--tight" ref={steps} tabIndex={-1}>
        <li>
          <Trans>
            Scan this QR code with an authenticator app (1Password, Google Authenticator, Aegis…).
          </Trans>
        </li>
        <li>
          <Trans>Enter the 6-digit code the app then shows, to confirm.</Trans>
        </li>
      </ol>
      <div className="totp-setup">
        {qr ? (
          <img
            className="totp-setup__qr"
            src={qr}
            width={176}
            height={176}
            alt={t`QR code for your authenticator app`}
          />
        ) : (
          <div className="totp-setup__qr" aria-hidden="true" />
        )}
        <div className="stack stack--tight">
          <p className="field__hint">
            <Trans>Cannot scan? Type this key into the app instead:</Trans>
          </p>
          <p className="totp-setup__secret ltr" data-testid="totp-secret">
            {enrolment.secret.replace(/(.{4})/g, "$1 ").trim()}
          </p>
        </div>
      </div>
      <div className="field-row">
        <Field
          ref={codeRef}
          label={t`Code from the app`}
          name="one-time-code"
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={7}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          error={fieldError}
          readOnly={busy}
        />
      </div>
      <div className="form-actions">
        <FormSubmit busy={busy} error={error} label={t`Turn on`} busyLabel={t`Checking…`} />
        <CancelButton onCancel={onCancel} />
      </div>
    </form>
  );
}

/** The recovery codes, this once: copy them somewhere safe. */
function ShownOnce({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useLingui();
  const { state, copy } = useCopy();
  const headingId = useId();
  return (
    <div className="stack stack--tight" role="region" aria-labelledby={headingId}>
      <Notice tone="success">
        <Trans>
          <strong id={headingId}>Save your recovery codes now.</strong> If you lose your phone, each
          of these signs you in once instead of a code. They are shown only this once.
        </Trans>
      </Notice>
      <ul className="recovery-codes ltr" data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>{c}</li>
        ))}
      </ul>
      <div className="form-actions">
        <CopyButton
          state={state}
          label={t`Copy the recovery codes`}
          variant="secondary"
          onCopy={() => void copy(codes.join("\n"))}
        />
        <button type="button" className="button button--primary" onClick={onDone}>
          <Trans>I have saved them</Trans>
        </button>
      </div>
    </div>
  );
}
