/**
 * Who is signed in: `GET /api/v1/auth/me` once per page load, shared through a React context.
 * Without the readable `hl_csrf` cookie (set and cleared together with the httpOnly session
 * cookie) there is no session to ask about, so anonymous visitors cost no request.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from "react";
import type { Me, Role } from "@hushlink/protocol";

import { i18n } from "../i18n/i18n";
import { ROLE_LABEL } from "../i18n/signed-in/roles";
import { api, csrfToken, isUnauthorized } from "./api";

export type { Me, Role };
export type OrgMembership = Me["orgs"][number];

export type Session =
  | { status: "loading" }
  | { status: "signed-out" }
  | { status: "signed-in"; me: Me }
  /** The server could not be asked (network, 5xx); pages treat it like signed out. */
  /** `message` is null when the failure has no words of its own (the dashboard says it). */
  | { status: "unknown"; message: string | null };

interface SessionContextValue {
  session: Session;
  /** Asks the server again; resolves to the new `me` (null when signed out). */
  refresh: () => Promise<Me | null>;
  /** After sign-up or sign-in: the answer already is `me`. */
  signedIn: (me: Me) => void;
  /** Ends the session on the server; the caller then leaves the page (a full load). */
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export const fetchMe = () => api.get<Me>("/api/v1/auth/me");

async function loadSession(): Promise<Session> {
  if (!csrfToken()) return { status: "signed-out" };
  try {
    return { status: "signed-in", me: await fetchMe() };
  } catch (error) {
    if (isUnauthorized(error)) return { status: "signed-out" };
    return {
      status: "unknown",
      message: error instanceof Error ? error.message : null,
    };
  }
}

export function SessionProvider({
  children,
  initial,
}: {
  children: ReactNode;
  /** For tests and previews; by default the session is loaded from the server. */
  initial?: Session;
}) {
  const [session, setSession] = useState<Session>(initial ?? { status: "loading" });

  useEffect(() => {
    if (initial) return;
    let cancelled = false;
    void loadSession().then((next) => {
      if (!cancelled) setSession(next);
    });
    return () => {
      cancelled = true;
    };
  }, [initial]);

  const refresh = useCallback(async () => {
    const next = await loadSession();
    setSession(next);
    return next.status === "signed-in" ? next.me : null;
  }, []);

  const signedIn = useCallback((me: Me) => setSession({ status: "signed-in", me }), []);

  // Callers navigate away afterwards; the page's state stays as it is until then, so pages that
  // send signed-out visitors to the sign-in page (the dashboard) do not race that navigation.
  const signOut = useCallback(async () => {
    await api.post("/api/v1/auth/logout");
  }, []);

  const value = useMemo(
    () => ({ session, refresh, signedIn, signOut }),
    [session, refresh, signedIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession() needs a <SessionProvider> above it");
  return value;
}

/**
 * "Sign out" in the header menu and in the Account tab: end the session, then load `/` afresh
 * whatever the answer. `signingOut` is for the button's label meanwhile.
 */
export function useSignOut() {
  const { signOut } = useSession();
  const [signingOut, setSigningOut] = useState(false);

  async function signOutAndLeave() {
    setSigningOut(true);
    try {
      await signOut();
    } finally {
      window.location.assign("/");
    }
  }

  return { signingOut, signOut: signOutAndLeave };
}

/** The signed-in user, or null (also while loading). */
export function useMe(): Me | null {
  const { session } = useSession();
  return session.status === "signed-in" ? session.me : null;
}

const ORG_KEY = "hushlink.org";

/**
 * The organization the dashboard and the share form work in: the one picked last in this
 * browser if the user still belongs to it, else their first (the API's default as well).
 */
export function selectedOrg(me: Me): OrgMembership | null {
  let remembered: string | null = null;
  try {
    remembered = window.localStorage.getItem(ORG_KEY);
  } catch {
    // Storage may be off (privacy settings); the first organization will do.
  }
  return me.orgs.find((org) => org.id === remembered) ?? me.orgs[0] ?? null;
}

export function rememberOrg(orgId: string): void {
  try {
    window.localStorage.setItem(ORG_KEY, orgId);
  } catch {
    // See selectedOrg.
  }
}

export function roleLabel(role: Role): string {
  return i18n._(ROLE_LABEL[role]);
}
