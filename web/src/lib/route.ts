export type Route =
  | { page: "share" }
  | { page: "view"; fragment: string }
  | { page: "manage"; id: string; manageToken: string }
  | { page: "request"; id: string }
  | { page: "not-found" };

/**
 * The whole router: four paths, matched once per load. Links between pages are plain <a href>
 * (full loads), which also guarantees that no decrypted secret survives a navigation in memory.
 */
export function matchRoute(pathname: string, fragment: string): Route {
  const path = pathname.replace(/\/+$/, "") || "/";
  if (path === "/") return { page: "share" };
  if (path === "/s") return { page: "view", fragment };
  const manage = /^\/manage\/([A-Za-z0-9_-]+)$/.exec(path);
  if (manage?.[1]) return { page: "manage", id: manage[1], manageToken: fragment };
  const request = /^\/r\/([A-Za-z0-9_-]+)$/.exec(path);
  if (request?.[1]) return { page: "request", id: request[1] };
  return { page: "not-found" };
}
