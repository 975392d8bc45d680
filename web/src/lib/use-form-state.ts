import { useCallback, useRef, useState } from "react";

/** What a form shows about its last submit: sending, the form's error, its one field's error. */
export interface FormStatus {
  busy: boolean;
  error: string | null;
  fieldError: string | null;
}

export const IDLE: FormStatus = { busy: false, error: null, fieldError: null };

/**
 * What a failed action becomes: a message for the whole form, `{ field }` for the field the
 * form's `fieldRef` points at (which then takes the focus), or null when the caller has dealt
 * with it elsewhere (another view, a link that expired).
 */
export type Failure = string | { field: string } | null;

export interface RunOptions {
  /** Defaults to the form's own `describe`, as the form's error. */
  failure?: (caught: unknown) => Failure;
  /** After success the form stays busy: the view or page is on its way out. */
  leaving?: boolean;
}

/**
 * The steps every form takes, on a status held anywhere (`update` merges a patch into it), so
 * that the hook below and its test share one implementation. `status` is the one the handler
 * was rendered with: only `start` reads it, before anything is awaited.
 */
export function formSteps(
  status: FormStatus,
  update: (patch: Partial<FormStatus>) => void,
  focusField: () => void,
  describe: (caught: unknown) => string,
) {
  return {
    /** Takes the submit event: false while busy (a second Enter), else the last errors go. */
    start: (event?: { preventDefault(): void }): boolean => {
      event?.preventDefault();
      if (status.busy) return false;
      update({ error: null, fieldError: null });
      return true;
    },
    /** A check before sending failed: the message at the field, and the focus there. */
    invalid: (message: string): void => {
      update({ fieldError: message });
      focusField();
    },
    /** Busy while `action` runs; true when it succeeded. */
    run: async (action: () => Promise<unknown>, options: RunOptions = {}): Promise<boolean> => {
      update({ busy: true, error: null, fieldError: null });
      try {
        await action();
      } catch (caught) {
        const failure = (options.failure ?? describe)(caught);
        if (typeof failure === "string") update({ busy: false, error: failure });
        else if (failure) update({ busy: false, fieldError: failure.field });
        else update({ busy: false });
        if (failure !== null && typeof failure === "object") focusField();
        return false;
      }
      if (!options.leaving) update({ busy: false });
      return true;
    },
  };
}

/**
 * A form's busy flag, form error and field error, with the submit steps around its API call
 * (`describe` turns a failure into the form's message: `dashboardError`, `accountErrorMessage`).
 * `fieldRef` goes on the field whose error `fieldError` is, when a failure there should focus it.
 */
export function useFormState(describe: (caught: unknown) => string) {
  const [status, setStatus] = useState<FormStatus>(IDLE);
  const fieldRef = useRef<HTMLInputElement>(null);
  const update = useCallback(
    (patch: Partial<FormStatus>) => setStatus((current) => ({ ...current, ...patch })),
    [],
  );
  const setError = useCallback((error: string | null) => update({ error }), [update]);
  const setFieldError = useCallback(
    (fieldError: string | null) => update({ fieldError }),
    [update],
  );
  // Built when a handler runs, not while rendering: the focus reads the ref.
  const steps = () => formSteps(status, update, () => fieldRef.current?.focus(), describe);
  return {
    ...status,
    fieldRef,
    setError,
    setFieldError,
    // Enter pressed in a field leaves the focus there: the fields are readOnly while busy, not
    // disabled (which dropped the focus to <body>), so after a failure Enter tries again.
    start: (event?: { preventDefault(): void }) => steps().start(event),
    invalid: (message: string) => steps().invalid(message),
    run: (action: () => Promise<unknown>, options?: RunOptions) => steps().run(action, options),
  };
}
