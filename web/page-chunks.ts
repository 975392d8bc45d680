/**
 * How the build groups the first-load code of the two budgeted pages (issue 24). Left to
 * automatic chunking, the share page's modules that other pages also use become a dozen small
 * chunks, and on a slow link each is a request of its own (six at a time, ~0.56 s of latency
 * each on Slow 4G). Here every module the entry (main.tsx) does not already load goes to one
 * chunk per page: "view-page" (only the share page uses it), "share-page" (only the share
 * form), or "pages-common" (both). What the entry imports statically (React, the layout, the
 * protocol) is one chunk, "app", which the HTML preloads. Every other page keeps automatic
 * chunking. So the first load of `/s` is two waves of at most six requests (Chromium's
 * connections per host): the HTML's (entry, app, style sheet), then the page's (its chunk,
 * pages-common, two catalogs, the metadata request).
 */
interface ModuleGraph {
  getModuleInfo(id: string): { importedIds: readonly string[] } | null;
}

const ENTRY = /\/web\/src\/main\.tsx$/;
const VIEW = /\/web\/src\/pages\/ViewPage\/ViewPage\.tsx$/;
const SHARE = /\/web\/src\/pages\/SharePage\/SharePage\.tsx$/;

/** Everything a module imports statically, itself included. */
function staticClosure(graph: ModuleGraph, root: string): Set<string> {
  const seen = new Set<string>();
  const todo = [root];
  for (let id = todo.pop(); id !== undefined; id = todo.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    todo.push(...(graph.getModuleInfo(id)?.importedIds ?? []));
  }
  return seen;
}

/** A `codeSplitting` group's `name` for the page chunks; `reset` before each build. */
export function pageChunks() {
  let sets: { entry: Set<string>; view: Set<string>; share: Set<string> } | null = null;
  // Roots are found among the modules as the groups are asked about them.
  const roots: { entry?: string; view?: string; share?: string } = {};
  return {
    reset(): void {
      sets = null;
      delete roots.entry;
      delete roots.view;
      delete roots.share;
    },
    /** Notes the roots; called for every module id of the graph before naming (buildEnd). */
    note(id: string): void {
      if (ENTRY.test(id)) roots.entry = id;
      else if (VIEW.test(id)) roots.view = id;
      else if (SHARE.test(id)) roots.share = id;
    },
    name(id: string, graph: ModuleGraph): string | null {
      if (!roots.entry || !roots.view || !roots.share) return null;
      sets ??= {
        entry: staticClosure(graph, roots.entry),
        view: staticClosure(graph, roots.view),
        share: staticClosure(graph, roots.share),
      };
      // What the entry loads before any page is one chunk too, beside the entry module itself
      // (rolldown would otherwise split out every module a lazy page shares with it).
      if (sets.entry.has(id)) return id === roots.entry ? null : "app";
      // The page itself goes in its group too: one request fewer than a chunk of its own.
      const view = sets.view.has(id);
      const share = sets.share.has(id);
      if (view && share) return "pages-common";
      if (view) return "view-page";
      if (share) return "share-page";
      return null;
    },
  };
}
