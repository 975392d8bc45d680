import { useEffect, useId, useState, type FormEvent } from "react";
import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";

import type { AuditEventType } from "@hushlink/protocol";

import { CancelButton } from "../../../components/CancelButton";
import { CheckField } from "../../../components/CheckField";
import { BusyForm } from "../../../components/BusyForm";
import { Field } from "../../accounts/components/Field";
import { RecentProofPrompt, useRecentProof } from "../../accounts/components/RecentProofPrompt";
import { dashboardError } from "../../dashboard/errors";
import { isApiError } from "../../../lib/api";
import { useFormState } from "../../../lib/use-form-state";
import type { Webhook, WebhookFormat } from "../api";
import { EventPicker } from "./EventPicker";

export interface WebhookDraft {
  url: string;
  events: AuditEventType[];
  format: WebhookFormat;
  includeShareNames: boolean;
  /** The recent proof a new endpoint or a new URL needs from a session signed in a while ago. */
  password?: string;
}

/** Example and product names, the same in every language. */
const EXAMPLE_URL = "https://hooks.example.com/hushlink";

const FORMATS: { value: WebhookFormat; label: MessageDescriptor; hint: MessageDescriptor }[] = [
  {
    value: "standard",
    label: msg`Standard`,
    hint: msg`JSON signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature).`,
  },
  {
    value: "slack",
    label: msg`Slack`,
    hint: msg`A readable message for a Slack-compatible incoming webhook URL.`,
  },
];

/**
 * An endpoint's URL, events, format and whether names go into payloads: adds one, or changes one
 * (`initial`). `onSave` throws what the server refused; a refused URL shows at the URL field.
 */
export function WebhookForm({
  initial,
  submitLabel,
  busyLabel,
  onSave,
  onCancel,
}: {
  initial?: Webhook;
  submitLabel: string;
  busyLabel: string;
  onSave: (draft: WebhookDraft) => Promise<void>;
  onCancel: () => void;
}) {
  const { t, i18n } = useLingui();
  const ids = useId();
  const [url, setUrl] = useState(initial?.url ?? "");
  const [events, setEvents] = useState<AuditEventType[]>(initial?.events ?? []);
  const [format, setFormat] = useState<WebhookFormat>(initial?.format ?? "standard");
  const [names, setNames] = useState(initial?.includeShareNames ?? false);
  const [eventsError, setEventsError] = useState<string | null>(null);
  // The form's field is the URL; the events show their own error.
  const form = useFormState(dashboardError);
  const { busy, error, fieldError: urlError, fieldRef: urlRef } = form;
  const proof = useRecentProof();
  // The form replaces the button that opened it (Add endpoint, Edit): the focus goes to its first
  // field rather than falling to <body>.
  useEffect(() => urlRef.current?.focus(), [urlRef]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    if (!form.start(event)) return;
    const trimmed = url.trim();
    const noEvents = events.length === 0 ? t`Pick at least one event to send.` : null;
    setEventsError(noEvents);
    if (trimmed === "")
      return form.invalid(t`Enter the URL deliveries go to, starting with https://.`);
    if (noEvents) return;
    const draft = { url: trimmed, events, format, includeShareNames: names };
    await form.run(() => onSave(draft), {
      failure: (caught) =>
        proof.ask(caught, (password) => onSave({ ...draft, password }))
          ? null
          : isApiError(caught, "invalid_webhook_url")
            ? { field: caught.message }
            : dashboardError(caught),
      leaving: true,
    });
  }

  // In place of the form, which keeps what was typed for Cancel.
  if (proof.retry)
    return <RecentProofPrompt proof={proof} label={submitLabel} busyLabel={busyLabel} />;

  return (
    <BusyForm busy={busy} onSubmit={submit} className="webhook-form">
      <Field
        ref={urlRef}
        label={t`Endpoint URL`}
        name="url"
        type="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        placeholder={EXAMPLE_URL}
        hint={t`An https:// address. Private, loopback and link-local addresses are refused unless this server allows them.`}
        value={url}
        error={urlError}
        readOnly={busy}
        onChange={(e) => {
          setUrl(e.target.value);
          form.setFieldError(null);
        }}
      />
      <fieldset className="fieldset field">
        <legend className="field__label">
          <Trans>Format</Trans>
        </legend>
        <div className="choice-list">
          {FORMATS.map((f) => (
            <CheckField
              key={f.value}
              id={`${ids}-format-${f.value}`}
              type="radio"
              name={`${ids}-format`}
              value={f.value}
              label={i18n._(f.label)}
              hint={i18n._(f.hint)}
              checked={format === f.value}
              onChange={() => setFormat(f.value)}
              busy={busy}
            />
          ))}
        </div>
      </fieldset>
      <CheckField
        id={`${ids}-names`}
        label={<Trans>Include share names</Trans>}
        hint={
          <Trans>
            The names of shares and requests go into payloads. Off: only ids. Payloads never carry a
            secret, link or token either way.
          </Trans>
        }
        checked={names}
        busy={busy}
        onChange={setNames}
      />
      <EventPicker
        value={events}
        onChange={(next) => {
          setEvents(next);
          setEventsError(null);
        }}
        error={eventsError}
        busy={busy}
      />
      {error && (
        <p className="field__error" role="alert">
          {error}
        </p>
      )}
      <div className="form-actions">
        {/* aria-disabled, not disabled, while saving, as FormSubmit's: a disabled button dropped
            the focus to <body>, so after a failure Enter could not try again. form.start
            ignores a press meanwhile. */}
        <button type="submit" className="button button--primary" aria-disabled={busy || undefined}>
          {busy && <span className="spinner" aria-hidden="true" />}
          <span>{busy ? busyLabel : submitLabel}</span>
        </button>
        <CancelButton onCancel={onCancel} busy={busy} />
      </div>
    </BusyForm>
  );
}
