import type { MessageDescriptor } from "@lingui/core";
import { msg, t } from "@lingui/core/macro";
import { useLingui } from "@lingui/react/macro";
import { useId, useRef, useState, type FormEvent } from "react";
import { flushSync } from "react-dom";

import { FormSubmit } from "../../../components/FormSubmit";
import { LockIcon } from "../../../components/icons";
import { formatBytes } from "../../../lib/format";
import { selectedOrg, useMe } from "../../../lib/session";
import { rateLimitedMessage } from "../../../lib/api";
import { isApiError, sharesApi, type PublicConfig } from "../api";
import { DEFAULT_EXPIRES_IN, DEFAULT_MAX_VIEWS } from "../choices";
import {
  createPerRecipient,
  createWithOneLink,
  type CreatedShare,
  type PendingUpload,
  type Phase,
} from "../create-share";
import { resolveLimits, type LimitsValue } from "../limits";
import { refusedRecipient } from "../recipients";
import { LimitsFields, type LimitsErrors } from "./LimitsFields";
import { PasswordGenerator } from "../../generator/components/PasswordGenerator";
import { NameField } from "./NameField";
import { NoteField } from "./NoteField";
import type { RecipientError, RecipientsHandle } from "./RecipientsInput";
import { SecretField, secretTooLarge } from "./SecretField";
import { SessionEnded } from "./SessionEnded";
import { useSessionEnded } from "../use-session-ended";
import { SharePasswordField } from "./SharePasswordField";
import { SignedInOptions, type SignedInChoices } from "./SignedInOptions";
import { FilesField, filesProblem, type FileLimits } from "../../files/components/FilesField";
import { UploadPanel } from "../../files/components/UploadPanel";
import { PolicyNotes } from "../../policies/components/PolicyNotes";
import { useSharePolicy } from "../../policies/use-share-policy";

export type { CreatedShare };

const PHASE_LABEL: Record<Phase, MessageDescriptor> = {
  idle: msg`Create secret link`,
  hashing: msg`Securing the password…`,
  encrypting: msg`Encrypting…`,
  sending: msg`Saving…`,
};

function errorMessage(error: unknown, maxBytes: number): string {
  if (isApiError(error, "payload_too_large")) {
    const limit = formatBytes(maxBytes);
    return t`The secret is too large: the limit is ${limit}.`;
  }
  if (isApiError(error, "rate_limited")) return rateLimitedMessage();
  if (isApiError(error)) return error.message;
  return t`The secret could not be encrypted in this browser. Try again, or use a current browser.`;
}

export function ShareForm({
  config: serverConfig,
  onCreated,
}: {
  config: PublicConfig;
  onCreated: (share: CreatedShare) => void;
}) {
  const ids = useId();
  const { t, i18n } = useLingui();
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
  const formRef = useRef<HTMLFormElement>(null);
  // The create found the session ended (401 login_required while signed in): see SessionEnded.
  const { sessionEnded, setSessionEnded, goOnAnonymously } = useSessionEnded(me, formRef);
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
  function failed(caught: unknown, recipients: string[]) {
    // Enabled again before focus moves to a field below.
    flushSync(() => setPhase("idle"));
    const refused = refusedRecipient(caught, recipients);
    if (refused) {
      setRecipientError(refused);
      recipientsRef.current?.focus();
    } else if (me && isApiError(caught, "login_required")) {
      setSessionEnded(true);
    } else if (isApiError(caught, "password_required")) {
      setPasswordError(caught.message);
      passwordRef.current?.focus();
    } else {
      setError(errorMessage(caught, config.maxSecretBytes));
    }
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setError(null);
    setSessionEnded(false);
    // Files over the limits are refused here, before anything is encrypted or sent.
    const tooMany = filesProblem(files, fileLimits);
    setFilesError(tooMany);
    const problem =
      text.length === 0 && files.length === 0
        ? t`Enter the secret you want to share, or choose files.`
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
          ? t`Enter a password: external recipients must type it to open the secret.`
          : t`Enter a password: your organization's sharing policy requires one.`,
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
    const { expiresIn, maxViews } = resolved;
    const org = me ? (me.orgs.find((o) => o.id === allowed.orgId) ?? selectedOrg(me)) : null;
    const request = {
      text,
      note,
      name,
      password,
      files,
      expiresIn,
      maxViews,
      me,
      org,
      organizationOnly: allowed.access === "organization",
      notifyOnView: choices.notifyOnView,
      showSender: choices.showSender,
      recipients,
      external,
      requireEmailCode: allowed.requireEmailCode,
    };
    if (recipients.length > 0 && !(me && org)) {
      setError(t`E-mail recipients need an organization, and your account has none.`);
      return;
    }
    try {
      // F14: every e-mail recipient gets a link of their own; files are uploaded once for all.
      const made =
        me && org && recipients.length > 0
          ? await createPerRecipient({ ...request, me, org }, setPhase)
          : await createWithOneLink(request, setPhase);
      if (made.upload) setUpload(made.upload);
      else onCreated(made.share);
    } catch (caught) {
      failed(caught, recipients);
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
      () => setError(t`Upload cancelled. Nothing was shared: the secret was deleted.`),
      () =>
        setError(
          t`Upload cancelled. The unfinished secret could not be deleted now; the server removes it within a day.`,
        ),
    );
  }

  return (
    <form
      ref={formRef}
      className="stack"
      onSubmit={(event) => void submit(event)}
      noValidate
      aria-busy={busy}
    >
      <SecretField
        id={`${ids}-secret`}
        value={text}
        onChange={(next) => {
          setText(next);
          if (secretError) setSecretError(null);
        }}
        error={secretError}
        maxBytes={config.maxSecretBytes}
        placeholder={t`Paste a password, API key, private note…`}
        shortenAdvice={t`Shorten the secret to share it.`}
        inputRef={secretRef}
        readOnly={busy}
      />
      <PasswordGenerator
        busy={busy}
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
          busy={busy}
        />
      )}

      <NoteField id={`${ids}-note`} value={note} onChange={setNote} readOnly={busy} />

      <NameField
        id={`${ids}-name`}
        label={t`Name`}
        value={name}
        onChange={setName}
        placeholder={t`e.g. Staging database for Sam`}
        hint={
          me
            ? t`Shown in your organization's dashboard. The recipient never sees it.`
            : t`Only for you: it helps you tell your links apart. The recipient never sees it.`
        }
        readOnly={busy}
      />

      <SharePasswordField
        id={`${ids}-password`}
        value={password}
        onChange={(next) => {
          setPassword(next);
          if (passwordError) setPasswordError(null);
        }}
        required={passwordRequired}
        external={external}
        error={passwordError}
        inputRef={passwordRef}
        readOnly={busy}
      />

      <LimitsFields
        id={`${ids}-limits`}
        config={config}
        value={limits}
        onChange={(next) => {
          setLimits(next);
          setLimitsErrors({});
        }}
        errors={limitsErrors}
        busy={busy}
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
        busy={busy}
        emailEnabled={config.emailEnabled}
        recipientsRef={recipientsRef}
        recipientError={recipientError}
        policy={policy.policy}
      />
      <PolicyNotes notes={policy.notes} />
      {sessionEnded && <SessionEnded onAnonymous={goOnAnonymously} />}

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
          label={i18n._(PHASE_LABEL[phase])}
          icon={<LockIcon />}
          large
          announce
        />
      )}
    </form>
  );
}
