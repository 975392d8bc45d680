import { plural, t } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import {
  useEffect,
  useId,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type KeyboardEvent,
  type Ref,
} from "react";

import { Address } from "../../../components/Address";
import { addressProblem, MAX_RECIPIENTS, splitAddresses } from "../recipients";

export interface RecipientsHandle {
  /**
   * Turns what is still typed into chips and returns the whole list, or null when something
   * invalid is left (the field is focused then, its message shown).
   */
  flush: () => string[] | null;
  focus: () => void;
}

/** An answer of the server about one of the addresses (e.g. recipient_not_member). */
export interface RecipientError {
  message: string;
  email: string | null;
}

const SEPARATOR = /[,;\s]/;

/** What a screen reader hears after chips were added: which, and how many there are now. */
function addedMessage(added: string[], total: number): string {
  const count = plural(total, { one: "# recipient.", other: "# recipients." });
  // One address is named; several are counted.
  const [address] = added;
  if (added.length === 1 && address) return t`${address} added. ${count}`;
  const addedCount = added.length;
  return plural(addedCount, {
    one: `# address added. ${count}`,
    other: `# addresses added. ${count}`,
  });
}

function removedMessage(address: string, total: number): string {
  return t`${address} removed. ${plural(total, { 0: "No recipients.", one: "# recipient.", other: "# recipients." })}`;
}

/**
 * "E-mail the link to" (SPEC F1, F3): addresses become chips on Enter, comma, space or leaving
 * the field; Backspace in the empty field removes the last one; each chip has its own remove
 * button. Invalid, duplicate and surplus addresses are reported inline, next to the chips.
 */
export function RecipientsInput({
  ref,
  value,
  onChange,
  serverError,
  busy = false,
}: {
  ref?: Ref<RecipientsHandle>;
  value: string[];
  onChange: (value: string[]) => void;
  serverError: RecipientError | null;
  /** The form is busy: the field readOnly, no chip added or removed. */
  busy?: boolean;
}) {
  const { t } = useLingui();
  const most = MAX_RECIPIENTS;
  const ids = useId();
  const inputId = `${ids}-input`;
  const hintId = `${ids}-hint`;
  const noteId = `${ids}-note`;
  const errorId = `${ids}-error`;
  const inputRef = useRef<HTMLInputElement>(null);
  const [draft, setDraft] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState("");

  /** Adds every valid piece; returns what could not be added (and says why), and the list. */
  function commit(text: string): { left: string; list: string[] } {
    // "Eve <eve@example.com>" would split into two wrong pieces: refuse it whole, saying why.
    const named = /[<>"]/.test(text) ? addressProblem(text.trim()) : null;
    if (named) {
      setProblem(named);
      return { left: text.trim(), list: value };
    }
    const pieces = splitAddresses(text);
    if (pieces.length === 0) return { left: "", list: value };
    const next = [...value];
    const known = new Set(next);
    const rejected: string[] = [];
    let reason: string | null = null;
    const added: string[] = [];
    for (const piece of pieces) {
      const address = piece.toLowerCase();
      if (known.has(address)) continue; // the same person once is enough
      const why = addressProblem(piece);
      if (why) {
        rejected.push(piece);
        reason ??= why;
      } else if (next.length >= MAX_RECIPIENTS) {
        rejected.push(piece);
        reason ??= plural(most, {
          one: "At most # recipient per secret.",
          other: "At most # recipients per secret.",
        });
      } else {
        next.push(address);
        known.add(address);
        added.push(address);
      }
    }
    if (added.length > 0) {
      onChange(next);
      setAnnouncement(addedMessage(added, next.length));
    }
    setProblem(reason);
    return { left: rejected.join(", "), list: next };
  }

  function remove(address: string) {
    const next = value.filter((a) => a !== address);
    onChange(next);
    setProblem(null);
    setAnnouncement(removedMessage(address, next.length));
  }

  // Issue 25, defect 4: a tap elsewhere blurs the field on its mousedown; making a chip there and
  // then would grow the field and move what is under the finger before the click lands. While a
  // press is down the chip waits for its release, so the tap hits what the user saw.
  const pressed = useRef(false);
  const latest = useRef({ commit, draft });
  useLayoutEffect(() => {
    latest.current = { commit, draft };
  });
  useEffect(() => {
    const down = () => (pressed.current = true);
    const up = () => (pressed.current = false);
    window.addEventListener("mousedown", down, true);
    window.addEventListener("mouseup", up, true);
    return () => {
      window.removeEventListener("mousedown", down, true);
      window.removeEventListener("mouseup", up, true);
    };
  }, []);

  function commitOnLeave() {
    if (!pressed.current) return setDraft(commit(draft).left);
    const after = () => {
      window.removeEventListener("mouseup", after);
      // After the click that follows this release, and React's render of it.
      setTimeout(() => {
        const { commit: commitNow, draft: left } = latest.current;
        if (left.trim()) setDraft(commitNow(left).left);
      }, 0);
    };
    window.addEventListener("mouseup", after);
  }

  useImperativeHandle(
    ref,
    () => ({
      flush: () => {
        const { left, list } = commit(draft);
        setDraft(left);
        if (left) inputRef.current?.focus();
        return left ? null : list;
      },
      focus: () => inputRef.current?.focus(),
    }),
    // commit reads value and draft; a fresh handle each render keeps them current.
  );

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    // Busy, the list stays as it is; Enter still reaches the form, which ignores it.
    if (busy) return;
    const key = event.key;
    if (key === "Enter" || key === "," || key === ";" || key === " ") {
      if (draft.trim() === "") {
        // Nothing typed: a separator adds nothing; Enter submits the form as usual.
        if (key !== "Enter") event.preventDefault();
        return;
      }
      event.preventDefault();
      setDraft(commit(draft).left);
      return;
    }
    if (key === "Backspace" && draft === "" && value.length > 0) {
      event.preventDefault();
      const last = value[value.length - 1];
      if (last) remove(last);
    }
  }

  function onPaste(event: ClipboardEvent<HTMLInputElement>) {
    if (busy) return;
    const pasted = event.clipboardData.getData("text");
    if (!SEPARATOR.test(pasted.trim())) return;
    event.preventDefault();
    setDraft(commit(`${draft}${pasted}`).left);
  }

  const error = problem ?? serverError?.message ?? null;
  const describedByIds = [hintId, error ? errorId : null, noteId].filter(Boolean).join(" ");

  return (
    <div className="field">
      <label className="field__label" htmlFor={inputId}>
        <Trans>
          E-mail the link to <span className="field__optional">(optional)</span>
        </Trans>
      </label>
      <div className={`chips${error ? " chips--invalid" : ""}${busy ? " chips--disabled" : ""}`}>
        {value.length > 0 && (
          <ul className="chips__list" aria-label={t`Recipients`}>
            {value.map((address) => {
              const refused = serverError?.email === address;
              return (
                <li key={address} className={`chip${refused ? " chip--invalid" : ""}`}>
                  <span className="chip__text" title={address}>
                    <Address email={address} />
                  </span>
                  <button
                    type="button"
                    className="chip__remove"
                    aria-label={t`Remove ${address}`}
                    title={t`Remove ${address}`}
                    aria-disabled={busy || undefined}
                    onClick={(event) => {
                      if (busy) return event.preventDefault();
                      remove(address);
                      inputRef.current?.focus();
                    }}
                  >
                    <svg
                      viewBox="0 0 16 16"
                      width="14"
                      height="14"
                      aria-hidden="true"
                      focusable="false"
                    >
                      <path
                        d="M4 4l8 8M12 4l-8 8"
                        stroke="currentColor"
                        strokeWidth="1.8"
                        strokeLinecap="round"
                      />
                    </svg>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        <input
          ref={inputRef}
          id={inputId}
          className="chips__input"
          type="text"
          inputMode="email"
          value={draft}
          onChange={(event) => {
            setDraft(event.target.value);
            if (problem) setProblem(null);
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={() => {
            if (draft.trim() && !busy) commitOnLeave();
          }}
          placeholder={value.length === 0 ? "name@example.com" : ""}
          autoComplete="off"
          autoCapitalize="off"
          autoCorrect="off"
          spellCheck={false}
          aria-invalid={error !== null}
          aria-describedby={describedByIds}
          readOnly={busy}
        />
      </div>
      <p className="field__hint" id={hintId}>
        <Trans>Press Enter, comma or space after each address. Up to {most}.</Trans>
      </p>
      {error && (
        <p id={errorId} className="field__error" role="alert">
          {error}
        </p>
      )}
      <p className="field__hint" id={noteId}>
        <Trans>
          E-mailed links pass through this server once, to be sent: each is deleted from it as soon
          as its message is handed to the mail server.
        </Trans>
      </p>
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
    </div>
  );
}
