import { useEffect, useRef, useState, type RefObject } from "react";

import { useSession, type Me } from "../../lib/session";

/**
 * A create refused because the session behind the form ended (401 login_required while signed
 * in): `sessionEnded` shows SessionEnded, and its "Create without an account" (`goOnAnonymously`)
 * refreshes the session. Once the page knows it is signed out (the refusal cleared the cookies),
 * the same form is submitted again, as an anonymous visitor's. Used by the share form and the
 * new-request form.
 */
export function useSessionEnded(me: Me | null, form: RefObject<HTMLFormElement | null>) {
  const { refresh } = useSession();
  const [sessionEnded, setSessionEnded] = useState(false);
  const resendAnonymously = useRef(false);

  useEffect(() => {
    if (!resendAnonymously.current || me !== null) return;
    resendAnonymously.current = false;
    form.current?.requestSubmit();
  }, [me, form]);

  function goOnAnonymously() {
    setSessionEnded(false);
    resendAnonymously.current = true;
    // Signed in again meanwhile (another tab): nothing is sent; "Create" sends it as theirs.
    void refresh().then((next) => {
      if (next !== null) resendAnonymously.current = false;
    });
  }

  return { sessionEnded, setSessionEnded, goOnAnonymously };
}
