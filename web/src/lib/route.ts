export type Route =
  | { page: "share" }
  | { page: "view"; fragment: string }
  | { page: "manage"; id: string; manageToken: string }
  | { page: "request"; id: string; fragment: string }
  | { page: "open-request"; id: string; fragment: string }
  | { page: "new-request" }
  | { page: "login" }
  | { page: "signup" }
  | { page: "verify-email"; token: string }
  | { page: "forgot-password" }
  | { page: "reset-password"; token: string }
  | { page: "invitation"; token: string }
  | { page: "app"; path: string }
  | { page: "not-found" };

/**
 * The whole router: four paths, matched once per load. Links between pages are plain <a href>
 * (full loads), which also guarantees that no decrypted secret survives a navigation in memory.
 */
export function matchRoute(pathname: string, fragment: string, search = ""): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/") return { page: "share" };
  if (path === "/s") return { page: "view", fragment };
  const manage = /^\/manage\/([A-Za-z0-9_-]+)$/.exec(path);
  if (manage?.[1]) return { page: "manage", id: manage[1], manageToken: fragment };
  // End-to-end requests: the key's fingerprint (request link) or the reading secret (reading
  // link) travels in the fragment; F6 requests have none.
  const request = /^\/r\/([A-Za-z0-9_-]+)$/.exec(path);
  if (request?.[1]) return { page: "request", id: request[1], fragment };
  const open = /^\/r\/([A-Za-z0-9_-]+)\/open$/.exec(path);
  if (open?.[1]) return { page: "open-request", id: open[1], fragment };
  if (path === "/request") return { page: "new-request" };
  if (path === "/login") return { page: "login" };
  if (path === "/signup") return { page: "signup" };
  // The mail's ?token=… was moved into the fragment (main.tsx), kept there like a link's key.
  if (path === "/verify-email") {
    return {
      page: "verify-email",
      token: fragment || new URLSearchParams(search).get("token") || "",
    };
  }
  if (path === "/forgot-password") return { page: "forgot-password" };
  // The reset token travels in the fragment, like link keys: browsers never send it.
  if (path === "/reset-password") return { page: "reset-password", token: fragment };
  const invitation = /^\/invitations\/([A-Za-z0-9_-]+)$/.exec(path);
  if (invitation?.[1]) return { page: "invitation", token: invitation[1] };
  // The dashboard matches its own tabs (pages/App/tab-registry.ts).
  if (path === "/app" || path.startsWith("/app/")) return { page: "app", path };
  return { page: "not-found" };
}

/** Pages whose link carries a key in the fragment: a new fragment means a new link. */
export function readsFragment(route: Route): boolean {
  return (
    route.page === "view" ||
    route.page === "manage" ||
    route.page === "request" ||
    route.page === "open-request" ||
    route.page === "reset-password" ||
    route.page === "verify-email"
  );
}
