import type { MessageDescriptor } from "@lingui/core";
import { msg, plural, t } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { useCallback, useRef, useState } from "react";
import {
  DecryptionError,
  deriveLinkKeys,
  linkSecretFrom,
  openPayload,
  type LinkKeys,
  type ShareFile,
} from "@hushlink/protocol/client";

import type { ActionState } from "../../components/ConfirmButton";
import { LoadFailed } from "../../components/LoadFailed";
import { Loading } from "../../components/Loading";
import {
  isApiError,
  sharesApi,
  type EmailCodeSent,
  type GoneReason,
  type ShareMetadata,
} from "../../features/shares/api";
import { formatTime } from "../../features/shares/components/EmailCodeField";
import {
  AccessRequired,
  type AccessProblem,
} from "../../features/shares/components/AccessRequired";
import { RevealForm, type RevealPhase } from "../../features/shares/components/RevealForm";
import { RevealedSecret } from "../../features/shares/components/RevealedSecret";
import {
  LinkNotFound,
  ShareGone,
  type LinkProblem,
} from "../../features/shares/components/ShareGone";
import { brandingOf, useSetBranding } from "../../features/branding/context";
import { earlyMetadata } from "../../features/shares/early-metadata";
import { derivePasswordKeysInWorker } from "../../features/shares/password-worker";
import { forgetFragment, usedUpHere } from "../../lib/fragment";
import { rateLimitedMessage } from "../../lib/api";
import { useSession } from "../../lib/session";
import { useDocumentTitle } from "../../lib/use-document-title";
import { useLoaded } from "../../lib/use-loaded";

type ViewState =
  | { kind: "loading" }
  | { kind: "broken"; problem: LinkProblem }
  | { kind: "not-found" }
  | { kind: "gone"; reason: GoneReason; at: string | null }
  | { kind: "failed"; message: string }
  | { kind: "ready"; keys: LinkKeys; meta: ShareMetadata }
  | {
      kind: "revealed";
      keys: LinkKeys;
      text: string;
      note: string | null;
      files: ShareFile[];
      /** For a share with files: the reveal's download token and window (SPEC §3.1). */
      download: { downloadToken: string; downloadExpiresAt: string } | null;
      viewsRemaining: number | null;
      /** Kept for "Destroy now": the server asks a link holder for the password as a reveal does. */
      verifier: string | undefined;
      /** And for the e-mailed code the reveal took: spent for views, still good for a delete. */
      emailCode: string | undefined;
    };

const TITLES: Record<ViewState["kind"], MessageDescriptor> = {
  loading: msg`Opening secret`,
  broken: msg`Link not usable`,
  "not-found": msg`Link not found`,
  gone: msg`Secret gone`,
  failed: msg`Something went wrong`,
  ready: msg`Reveal secret`,
  revealed: msg`Your secret`,
};

/** Where a failed metadata or reveal request leaves the page. */
function stateForError(error: unknown): ViewState | null {
  if (isApiError(error, "share_not_found")) return { kind: "not-found" };
  if (isApiError(error, "share_gone")) {
    return { kind: "gone", reason: error.goneReason ?? "deleted", at: error.goneAt };
  }
  return null;
}

/**
 * `/s#{linkSecret}`. Reads metadata only; nothing is consumed until the viewer presses Reveal.
 * `fragment` was taken from the URL (and removed from it) before the first render; this tab keeps
 * it until the secret is revealed, so a reload before Reveal still works (lib/fragment.ts).
 */
export function ViewPage({ fragment }: { fragment: string }) {
  const [phase, setPhase] = useState<RevealPhase>("idle");
  const [revealError, setRevealError] = useState<string | null>(null);
  const [destroy, setDestroy] = useState<ActionState>("idle");
  const [accessProblem, setAccessProblem] = useState<AccessProblem | null>(null);
  const [codeSent, setCodeSent] = useState<EmailCodeSent | null>(null);
  const [codeSending, setCodeSending] = useState(false);
  const [codeError, setCodeError] = useState<string | null>(null);
  // The last password's Argon2id result: a retry after a wrong e-mail code (checked before the
  // password) does not stretch the same password again.
  const derived = useRef<{ password: string; passwordKey: Uint8Array; verifier: string } | null>(
    null,
  );
  const { session } = useSession();
  const setBranding = useSetBranding();
  const { i18n } = useLingui();

  /** `again`: ask the server afresh rather than take the request main.tsx started. */
  const load = useCallback(
    async (again = false): Promise<ViewState> => {
      let linkSecret: string;
      try {
        linkSecret = linkSecretFrom(fragment);
      } catch {
        setBranding(null);
        // Say what is true: no key at all, a key used up in this tab, or a key that is damaged.
        if (fragment) return { kind: "broken", problem: "damaged" };
        return { kind: "broken", problem: usedUpHere() ? "used-up" : "missing" };
      }
      const early = again ? null : earlyMetadata(fragment);
      const keys = await (early?.keys ?? deriveLinkKeys(linkSecret));
      try {
        const meta = await (early?.meta ?? sharesApi.metadata(keys.id));
        // A branded organization's share shows its look (SPEC F7); the 410 body carries it too.
        setBranding(meta.branding ?? null);
        return { kind: "ready", keys, meta };
      } catch (error) {
        setBranding(isApiError(error) ? brandingOf(error.details) : null);
        return stateForError(error) ?? { kind: "failed", message: messageOf(error) };
      }
    },
    [fragment, setBranding],
  );
  const [state, setState] = useLoaded(load, { kind: "loading" });
  useDocumentTitle(i18n._(TITLES[state.kind]));

  /** Issue 19: asks the server to mail this link's code to the address it was made for. */
  async function sendCode() {
    if (state.kind !== "ready") return;
    setCodeSending(true);
    setCodeError(null);
    try {
      setCodeSent(await sharesApi.emailCode(state.keys.id, state.keys.viewToken));
    } catch (error) {
      if (isApiError(error, "email_code_limit")) {
        const at = typeof error.details.retryAt === "string" ? error.details.retryAt : null;
        const time = at ? formatTime(at) : "";
        setCodeError(
          at
            ? t`Too many codes for this link. You can ask for another at ${time}.`
            : t`Too many codes for this link. Wait a while and ask again.`,
        );
      } else {
        const next = stateForError(error);
        if (next) setState(next);
        else setCodeError(messageOf(error));
      }
    } finally {
      setCodeSending(false);
    }
  }

  async function reveal(password: string, emailCode?: string) {
    if (state.kind !== "ready") return;
    const { keys, meta } = state;
    setRevealError(null);
    setCodeError(null);
    try {
      let passwordKey: Uint8Array | undefined;
      let verifier: string | undefined;
      if (meta.requiresPassword) {
        if (!meta.kdf) throw new Error(t`The server did not say how the password is protected.`);
        if (derived.current?.password === password) {
          ({ passwordKey, verifier } = derived.current);
        } else {
          setPhase("checking");
          ({ passwordKey, verifier } = await derivePasswordKeysInWorker(
            keys.linkSecret,
            password,
            meta.kdf,
          ));
          derived.current = { password, passwordKey, verifier };
        }
      }
      setPhase("revealing");
      const sealed = await sharesApi.reveal(keys.id, {
        viewToken: keys.viewToken,
        ...(verifier ? { verifier } : {}),
        ...(emailCode ? { emailCode } : {}),
      });
      const { text, note, files = [] } = await openPayload(keys.linkSecret, sealed, passwordKey);
      // Revealed: the tab keeps the link no longer (a reload says it was used here).
      forgetFragment();
      setState({
        kind: "revealed",
        keys,
        text,
        note: note ?? null,
        files,
        download:
          sealed.downloadToken && sealed.downloadExpiresAt
            ? { downloadToken: sealed.downloadToken, downloadExpiresAt: sealed.downloadExpiresAt }
            : null,
        viewsRemaining: sealed.viewsRemaining,
        verifier,
        emailCode,
      });
    } catch (error) {
      const codeProblem = emailCodeMessage(error);
      if (codeProblem) {
        setCodeError(codeProblem);
        if (!isApiError(error, "wrong_email_code") || error.attemptsRemaining === 0) {
          // This code works no more: the next one must be asked for.
          setCodeSent(null);
        }
      } else if (isApiError(error, "wrong_password")) {
        const left = error.attemptsRemaining;
        if (left === 0) setState(await load(true));
        else {
          setRevealError(
            left === null
              ? t`Wrong password. Check it and try again.`
              : plural(left, {
                  one: "Wrong password. # attempt left before the secret is locked and deleted.",
                  other: "Wrong password. # attempts left before the secret is locked and deleted.",
                }),
          );
        }
      } else if (isApiError(error, "login_required") || isApiError(error, "not_allowed")) {
        setAccessProblem(error.code as AccessProblem);
      } else {
        const next = stateForError(error);
        if (next) setState(next);
        else setRevealError(messageOf(error));
      }
    } finally {
      setPhase("idle");
    }
  }

  async function destroyNow() {
    if (state.kind !== "revealed") return;
    setDestroy("busy");
    try {
      const { keys, verifier, emailCode } = state;
      await sharesApi.destroyWithViewToken(keys.id, keys.viewToken, verifier, emailCode);
      setDestroy("done");
    } catch (error) {
      // Gone already (expired, or someone else destroyed it): the goal is reached either way.
      if (isApiError(error, "share_gone")) setDestroy("done");
      else if (isApiError(error, "email_code_expired")) {
        setDestroy({
          error: t`The e-mailed code has expired, so this page can no longer destroy the secret. It ends on its own when it expires or its views are used up.`,
        });
      } else setDestroy({ error: messageOf(error) });
    }
  }

  const signedIn = session.status === "signed-in";
  return <div className="card">{render()}</div>;

  function render() {
    switch (state.kind) {
      case "loading":
        return (
          <Loading>
            <Trans>Opening the secret link…</Trans>
          </Loading>
        );
      case "broken":
        return <LinkNotFound problem={state.problem} />;
      case "not-found":
        return <LinkNotFound />;
      case "gone":
        return <ShareGone reason={state.reason} at={state.at} />;
      case "failed":
        return (
          <LoadFailed
            headingId="failed-heading"
            title={<Trans>The secret could not be loaded</Trans>}
            message={state.message}
            onRetry={() => void load(true).then(setState)}
          />
        );
      case "ready": {
        // A restricted share says who may open it before Reveal, not after it (the metadata
        // tells whether this caller may); a refusal after Reveal lands here too.
        const meta = state.meta;
        if (meta.viewerAllowed === false && session.status === "loading") {
          return (
            <Loading>
              <Trans>Opening the secret link…</Trans>
            </Loading>
          );
        }
        const problem =
          accessProblem ??
          (meta.viewerAllowed === false || (meta.access === "organization" && !signedIn)
            ? signedIn
              ? "not_allowed"
              : "login_required"
            : null);
        if (problem) {
          return (
            <AccessRequired
              problem={problem}
              audience={
                meta.recipientsOnly
                  ? {
                      kind: "recipients",
                      ...(meta.maskedEmail ? { sentTo: meta.maskedEmail } : {}),
                    }
                  : {
                      kind: "organization",
                      orgName: meta.orgName ?? meta.branding?.orgName ?? null,
                    }
              }
              linkSecret={state.keys.linkSecret}
            />
          );
        }
        return (
          <RevealForm
            meta={meta}
            phase={phase}
            error={revealError}
            onReveal={(password, emailCode) => void reveal(password, emailCode)}
            emailCode={
              meta.requiresEmailCode
                ? {
                    sent: codeSent,
                    sending: codeSending,
                    error: codeError,
                    onSend: () => void sendCode(),
                  }
                : undefined
            }
          />
        );
      }
      case "revealed":
        return (
          <RevealedSecret
            text={state.text}
            note={state.note}
            files={
              state.download && state.files.length > 0
                ? { list: state.files, grant: { shareId: state.keys.id, ...state.download } }
                : null
            }
            viewsRemaining={state.viewsRemaining}
            destroy={destroy}
            onDestroy={destroyNow}
          />
        );
    }
  }
}

/** The reveal's answers about the e-mailed code (issue 19), in the recipient's words. */
function emailCodeMessage(error: unknown): string | null {
  if (isApiError(error, "email_code_required")) {
    return t`This secret needs the code from the e-mail: press “E-mail me a code”.`;
  }
  if (isApiError(error, "wrong_email_code")) {
    const left = error.attemptsRemaining;
    if (left === 0) {
      return t`Wrong code, and that was its last try. E-mail yourself a new code.`;
    }
    return left === null
      ? t`Wrong code. Check the e-mail and try again.`
      : plural(left, {
          one: "Wrong code. # try left for this code.",
          other: "Wrong code. # tries left for this code.",
        });
  }
  if (isApiError(error, "email_code_expired")) {
    return t`This code no longer works: it expired, was used, or has no tries left. E-mail yourself a new code.`;
  }
  return null;
}

function messageOf(error: unknown): string {
  if (error instanceof DecryptionError) {
    return t`The secret could not be decrypted: the link may be damaged. Ask the sender for a new one.`;
  }
  if (isApiError(error, "login_required")) return t`Sign in to view this secret.`;
  if (isApiError(error, "not_allowed")) return t`Your account is not allowed to view this secret.`;
  if (isApiError(error, "rate_limited")) return rateLimitedMessage();
  if (isApiError(error, "upload_incomplete")) {
    return t`The sender's files are still uploading. Nothing was used up: try again in a moment.`;
  }
  if (error instanceof Error) return error.message;
  return t`Something went wrong. Try again.`;
}
