import type { FormEvent, ReactNode, Ref } from "react";

/**
 * A form the app checks itself (`noValidate`: its own messages, in the reader's language, stand
 * in for the browser's bubbles) and that tells assistive technology it is busy while `onSubmit`
 * runs. `onSubmit` prevents the browser's own submit. `ref` reaches the form element (to submit it
 * again from code: `requestSubmit`).
 */
export function BusyForm({
  ref,
  busy,
  onSubmit,
  className,
  children,
}: {
  ref?: Ref<HTMLFormElement>;
  busy: boolean;
  onSubmit: (event: FormEvent<HTMLFormElement>) => Promise<void>;
  /** A further class after `stack stack--tight`. */
  className?: string;
  children: ReactNode;
}) {
  return (
    <form
      ref={ref}
      className={className ? `stack stack--tight ${className}` : "stack stack--tight"}
      onSubmit={(event) => void onSubmit(event)}
      noValidate
      aria-busy={busy}
    >
      {children}
    </form>
  );
}
