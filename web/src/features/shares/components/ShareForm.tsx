import { useId, useRef, useState, type FormEvent } from "react";
import { flushSync } from "react-dom";
import {
  newShareFile,
  seal,
  sealForRecipients,
  shareLink,
  type SealedForRecipients,
} from "@hushlink/protocol/client";

import { FormSubmit } from "../../../components/FormSubmit";
import { LockIcon } from "../../../components/icons";
import { formatBytes } from "../../../lib/format";
import { selectedOrg, useMe } from "../../../lib/session";
import { RATE_LIMITED_MESSAGE } from "../../../lib/api";
import { isApiError, sharesApi, type PublicConfig } from "../api";
import { DEFAULT_EXPIRES_IN, DEFAULT_MAX_VIEWS } from "../choices";
import { resolveLimits, type LimitsValue } from "../limits";
import { keepLinks } from "../kept-links";
import { sealForRecipientsInWorkers, sealInWorker } from "../password-worker";
import { LimitsFields, type LimitsErrors } from "./LimitsFields";
import { PasswordGenerator } from "../../generator/components/PasswordGenerator";
import { NameField } from "./NameField";
import { NoteField } from "./NoteField";
import { PasswordInput } from "./PasswordInput";
import type { RecipientError, RecipientsHandle } from "./RecipientsInput";
import { SecretField, secretTooLarge } from "./SecretField";
import { SignedInOptions, type SignedInChoices } from "./SignedInOptions";
import { FilesField, filesProblem, type FileLimits } from "../../files/components/FilesField";
import { UploadPanel } from "../../files/components/UploadPanel";
import { PolicyNotes } from "../../policies/components/PolicyNotes";
import { useSharePolicy } from "../../policies/use-share-policy";
import type { UploadItem } from "../../files/transfer";

/** A created share whose files are still on their way up. */
interface PendingUpload {
  shareId: string;
  uploadToken: string;
  manageToken: string | null;
  items: UploadItem[];
  share: CreatedShare;
}

export interface CreatedShare {
  /** The share's one link; null when every recipient got a link of their own. */
  link: string | null;
  /** With a link per recipient (F14): the share and its organization, to follow each line. */
  recipientLinksOf: { shareId: string; orgId: string; userId: string } | null;
  manageLink: string | null;
  expiresIn: number;
  expiresAt: string;
  maxViews: number | null;
  hasPassword: boolean;
  /** Created signed in: it is listed in the dashboard (and has no manage link). */
  inDashboard: boolean;
  /** Organization-only access: the organization's name. */
  organizationOnly: string | null;
  /** The addresses the link was e-mailed to (empty when none). */
  sentTo: string[];
  /** The recipients may be outside the organization (they need the password). */
  externalRecipients: boolean;
}

type Phase = "idle" | "hashing" | "encrypting" | "sending";

const PHASE_LABEL: Record<Phase, string> = {
  idle: "Create secret link",
  hashing: "Securing the password…",
  encrypting: "Encrypting…",
  sending: "Saving…",
};

function errorMessage(error: unknown, maxBytes: number): string {
  if (isApiError(error, "payload_too_large")) {
    return `The secret is too large: the limit is ${formatBytes(maxBytes)}.`;
  }
  if (isApiError(error, "rate_limited")) return RATE_LIMITED_MESSAGE;
  if (isApiError(error)) return error.message;
  return "The secret could not be encrypted in this browser. Try again, or use a current browser.";
}

export function ShareForm({
  config: serverConfig,
  onCreated,
}: {
  config: PublicConfig;
  onCreated: (share: CreatedShare) => void;
}) {
  const ids = useId();
  const [text, setText] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [filesError, setFilesError] = useState<string | null>(null);
  const [upload, setUpload] = useState<PendingUpload | null>(null);
  const [name, setName] = useState("");
  const [note, setNote] = useState("");
  const [password, setPassword] = useState("");
  const [limits, setLimits] = useState<LimitsValue>({
    expiry: DEFAULT_EXPIRES_IN,
    expiresAt: "",
    views: String(DEFAULT_MAX_VIEWS),
    customViews: "",
  });
  const [limitsErrors, setLimitsErrors] = useState<LimitsErrors>({});
  const expiresAtRef = useRef<HTMLInputElement>(null);
  const customViewsRef = useRef<HTMLInputElement>(null);
  const [phase, setPhase] = useState<Phase>("idle");
  const [error, setError] = useState<string | null>(null);
  const [secretError, setSecretError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | null>(null);
  const [recipientError, setRecipientError] = useState<RecipientError | null>(null);
  const secretRef = useRef<HTMLTextAreaElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const recipientsRef = useRef<RecipientsHandle>(null);
  const me = useMe();
  const [choices, setChoices] = useState<SignedInChoices>({
    access: "anyone",
    notifyOnView: false,
    orgId: null,
    recipients: [],
    allowExternal: false,
    showSender: true,
    requireEmailCode: true,
  });
  // The organization's sharing policy narrows what the form offers (F16).
  const policy = useSharePolicy(me, serverConfig, choices, { value: limits, set: setLimits });
  const { config, choices: allowed } = policy;
  // SPEC F9: without SMTP the recipients part is hidden, and nothing of it is sent.
  const emailOn = me !== null && config.emailEnabled;
  const external = emailOn && allowed.allowExternal && allowed.access !== "organization";
  const passwordRequired = external || policy.passwordRequired;

  const busy = phase !== "idle" || upload !== null;
  const fileLimits: FileLimits = {
    maxFiles: config.maxFiles ?? 0,
    maxBytes: (me ? config.maxFileBytes : config.anonymousMaxFileBytes) ?? 0,
    signedIn: me !== null,
  };

  /** The server's refusal, next to the field it is about. */
  function failed(caught: unknown) {
    // Enabled again before focus moves to a field below.
    flushSync(() => setPhase("idle"));
    if (isApiError(caught, "recipient_not_member")) {
      const email = caught.details.email;
      setRecipientError({
        message: caught.message,
        email: typeof email === "string" ? email : null,
      });
      recipientsRef.current?.focus();
    } else if (isApiError(caught, "password_required")) {
      setPasswordError(caught.message);
      passwordRef.current?.focus();
    } else {
      setError(errorMessage(caught, config.maxSecretBytes));
    }
  }

  /** One link per recipient (F14): each sealed under its own link secret, kept for Resend. */
  async function createPerRecipient(recipients: string[], expiresIn: number, views: number | null) {
    if (!me) return;
    try {
      setPhase(password ? "hashing" : "encrypting");
      const trimmedNote = note.trim();
      const sealed: SealedForRecipients = password
        ? await sealForRecipientsInWorkers(text, recipients, password, trimmedNote)
        : await sealForRecipients(text, recipients, trimmedNote ? { note: trimmedNote } : {});
      setPhase("sending");
      const trimmedName = name.trim();
      const org = me.orgs.find((o) => o.id === choices.orgId) ?? selectedOrg(me);
      if (!org) {
        setPhase("idle");
        setError("E-mail recipients need an organization, and your account has none.");
        return;
      }
      const organizationOnly = choices.access === "organization";
      const created = await sharesApi.create({
        id: sealed.id,
        recipientLinks: sealed.recipientLinks,
        expiresIn,
        maxViews: views,
        ...(trimmedName ? { name: trimmedName } : {}),
        orgId: org.id,
        ...(organizationOnly ? { access: "organization" } : {}),
        ...(choices.notifyOnView ? { notifyOnView: true } : {}),
        ...(choices.showSender ? { showSender: true } : {}),
        allowExternalRecipients: external,
        // Codes are the server's default for external addresses; only "off" is sent.
        ...(external && !allowed.requireEmailCode ? { requireEmailCode: false } : {}),
      });
      keepLinks(me.user.id, created.id, created.expiresAt, sealed.recipientLinks);
      onCreated({
        link: null,
        recipientLinksOf: { shareId: created.id, orgId: org.id, userId: me.user.id },
        manageLink: null,
        expiresIn,
        expiresAt: created.expiresAt,
        maxViews: created.maxViews,
        hasPassword: Boolean(password),
        inDashboard: true,
        organizationOnly: organizationOnly ? org.name : null,
        sentTo: recipients,
        externalRecipients: external,
      });
    } catch (caught) {
      failed(caught);
    }
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    // Files over the limits are refused here, before anything is encrypted or sent.
    const tooMany = filesProblem(files, fileLimits);
    setFilesError(tooMany);
    const problem =
      text.length === 0 && files.length === 0
        ? "Enter the secret you want to share, or choose files."
        : secretTooLarge(text, config.maxSecretBytes);
    if (problem) {
      setSecretError(problem);
      secretRef.current?.focus();
      return;
    }
    setSecretError(null);
    if (tooMany) return;

    // Whatever is still typed in the recipients field counts; an invalid rest stops here.
    const flushed = emailOn && recipientsRef.current ? recipientsRef.current.flush() : [];
    if (flushed === null) return;
    if (passwordRequired && !password) {
      setPasswordError(
        external
          ? "Enter a password: external recipients must type it to open the secret."
          : "Enter a password: your organization's sharing policy requires one.",
      );
      passwordRef.current?.focus();
      return;
    }
    setPasswordError(null);
    const recipients = flushed;

    const resolved = resolveLimits(limits, config, Date.now());
    if (!resolved.ok) {
      setLimitsErrors({ [resolved.field]: resolved.message });
      (resolved.field === "expiresAt" ? expiresAtRef : customViewsRef).current?.focus();
      return;
    }
    setLimitsErrors({});
    const { expiresIn, maxViews: views } = resolved;
    // F14: every e-mail recipient gets a link of their own. Files are not yet supported with
    // such links (the server refuses them), so a share with files keeps one link for all.
    if (recipients.length > 0 && files.length === 0) {
      await createPerRecipient(recipients, expiresIn, views);
      return;
    }
    try {
      setPhase(password ? "hashing" : "encrypting");
      const trimmedNote = note.trim();
      const items: UploadItem[] = files.map((file) => ({
        file,
        meta: newShareFile({ name: file.name, type: file.type, size: file.size }),
      }));
      const shareFiles = items.map((item) => item.meta);
      const sealed = password
        ? await sealInWorker(text, password, trimmedNote, shareFiles)
        : await seal(text, { ...(trimmedNote ? { note: trimmedNote } : {}), files: shareFiles });
      setPhase("sending");
      const trimmedName = name.trim();
      const org = me ? (me.orgs.find((o) => o.id === allowed.orgId) ?? selectedOrg(me)) : null;
      const organizationOnly = org !== null && allowed.access === "organization";
      const created = await sharesApi.create({
        ...sealed.body,
        expiresIn,
        maxViews: views,
        ...(trimmedName ? { name: trimmedName } : {}),
        ...(org ? { orgId: org.id } : {}),
        ...(organizationOnly ? { access: "organization" } : {}),
        ...(me && choices.notifyOnView ? { notifyOnView: true } : {}),
        ...(org && choices.showSender ? { showSender: true } : {}),
        // The link secret goes to the server only with recipients (SPEC §3), never otherwise.
        ...(recipients.length > 0
          ? {
              recipients,
              allowExternalRecipients: external,
              delivery: { linkSecret: sealed.linkSecret },
            }
          : {}),
      });
      const origin = window.location.origin;
      const share: CreatedShare = {
        link: shareLink(origin, sealed.linkSecret),
        recipientLinksOf: null,
        manageLink: created.manageToken
          ? `${origin}/manage/${encodeURIComponent(created.id)}#${created.manageToken}`
          : null,
        expiresIn,
        expiresAt: created.expiresAt,
        maxViews: created.maxViews,
        hasPassword: Boolean(password),
        inDashboard: me !== null && !created.manageToken,
        organizationOnly: organizationOnly ? org.name : null,
        sentTo: recipients,
        externalRecipients: recipients.length > 0 && external,
      };
      if (created.uploadToken && items.length > 0) {
        // The link is shown once every file is up: until then it would not open.
        const { uploadToken, manageToken = null } = created;
        setUpload({ shareId: created.id, uploadToken, manageToken, items, share });
      } else onCreated(share);
    } catch (caught) {
      failed(caught);
    }
  }

  /** A cancelled upload leaves nothing behind: the half-made share is deleted. */
  function cancelUpload(pending: PendingUpload) {
    setUpload(null);
    setPhase("idle");
    const removal = pending.manageToken
      ? sharesApi.deleteWithManageToken(pending.shareId, pending.manageToken)
      : sharesApi.deleteOwn(pending.shareId);
    removal.then(
      () => setError("Upload cancelled. Nothing was shared: the secret was deleted."),
      () =>
        setError(
          "Upload cancelled. The unfinished secret could not be deleted now; the server removes it within a day.",
        ),
    );
  }

  return (
    <form className="stack" onSubmit={(event) => void submit(event)} noValidate aria-busy={busy}>
      <SecretField
        id={`${ids}-secret`}
        value={text}
        onChange={(next) => {
          setText(next);
          if (secretError) setSecretError(null);
        }}
        error={secretError}
        maxBytes={config.maxSecretBytes}
        placeholder="Paste a password, API key, private note…"
        shortenAdvice="Shorten the secret to share it."
        inputRef={secretRef}
        disabled={busy}
      />
      <PasswordGenerator
        disabled={busy}
        onUse={(generated) => {
          setText(generated);
          setSecretError(null);
          secretRef.current?.focus();
        }}
      />

      {/* The policy may forbid files (F16): then the field is not offered, and the notes say so. */}
      {policy.policy?.allowFiles !== false && (
        <FilesField
          id={`${ids}-files`}
          files={files}
          onChange={(next) => {
            setFiles(next);
            setFilesError(filesProblem(next, fileLimits));
          }}
          limits={fileLimits}
          error={filesError}
          disabled={busy}
        />
      )}

      <NoteField id={`${ids}-note`} value={note} onChange={setNote} disabled={busy} />

      <NameField
        id={`${ids}-name`}
        label="Name"
        value={name}
        onChange={setName}
        placeholder="e.g. Staging database for Sam"
        hint={
          me
            ? "Shown in your organization's dashboard. The recipient never sees it."
            : "Only for you: it helps you tell your links apart. The recipient never sees it."
        }
        disabled={busy}
      />

      <div className="field">
        <label className="field__label" htmlFor={`${ids}-password`}>
          Password{" "}
          {passwordRequired ? (
            <span className="field__required">(required)</span>
          ) : (
            <span className="field__optional">(optional)</span>
          )}
        </label>
        <PasswordInput
          ref={passwordRef}
          id={`${ids}-password`}
          value={password}
          onChange={(event) => {
            setPassword(event.target.value);
            if (passwordError) setPasswordError(null);
          }}
          autoComplete="new-password"
          required={passwordRequired}
          aria-invalid={passwordError !== null}
          aria-describedby={
            passwordError ? `${ids}-password-hint ${ids}-password-error` : `${ids}-password-hint`
          }
          disabled={busy}
        />
        <p className="field__hint" id={`${ids}-password-hint`}>
          {external
            ? "External recipients must enter this password; send it to them another way, never in the same e-mail."
            : passwordRequired
              ? "Your organization requires one. The recipient must type it; send it by another channel."
              : "The recipient must type it to reveal the secret. Send it by another channel."}
        </p>
        {passwordError && (
          <p id={`${ids}-password-error`} className="field__error" role="alert">
            {passwordError}
          </p>
        )}
      </div>

      <LimitsFields
        id={`${ids}-limits`}
        config={config}
        value={limits}
        onChange={(next) => {
          setLimits(next);
          setLimitsErrors({});
        }}
        errors={limitsErrors}
        disabled={busy}
        expiresAtRef={expiresAtRef}
        customViewsRef={customViewsRef}
        unlimitedViews={(policy.policy?.maxViews ?? null) === null}
      />

      <SignedInOptions
        me={me}
        value={{ ...allowed, orgId: allowed.orgId ?? (me ? (selectedOrg(me)?.id ?? null) : null) }}
        onChange={(next) => {
          setChoices(next);
          if (
            next.recipients !== choices.recipients ||
            next.allowExternal !== choices.allowExternal
          )
            setRecipientError(null);
        }}
        disabled={busy}
        emailEnabled={config.emailEnabled}
        recipientsRef={recipientsRef}
        recipientError={recipientError}
        policy={policy.policy}
      />
      <PolicyNotes notes={policy.notes} />

      {upload ? (
        <UploadPanel
          shareId={upload.shareId}
          uploadToken={upload.uploadToken}
          items={upload.items}
          onDone={() => onCreated(upload.share)}
          onCancel={() => cancelUpload(upload)}
        />
      ) : (
        <FormSubmit
          busy={busy}
          error={error}
          label={PHASE_LABEL[phase]}
          icon={<LockIcon />}
          large
          announce
        />
      )}
    </form>
  );
}
