/**
 * The share page's metadata request, started by main.tsx while the page's own chunk and the
 * language's catalogs are still on their way (issue 24): on a slow link each of those is a
 * round trip, and the metadata no longer waits for them and for the first render. Only the
 * first load of a link uses it; a retry asks the server again (ViewPage). When the HTML's early
 * script (boot/early-start.ts) already asked, its answer is taken instead of asking again.
 */
import { deriveLinkKeys, linkSecretFrom, type LinkKeys } from "@hushlink/protocol/client";

import { takeEarlyHandoff } from "../../boot/early-start";
import { answerOf } from "../../lib/api";
import { sharesApi, type ShareMetadata } from "./api";

export interface EarlyMetadata {
  fragment: string;
  keys: Promise<LinkKeys>;
  meta: Promise<ShareMetadata>;
}

let early: EarlyMetadata | null = null;

/** Starts deriving the link's keys and asking for its metadata; a damaged link starts nothing. */
export function startMetadata(fragment: string): void {
  early = null;
  let linkSecret: string;
  try {
    linkSecret = linkSecretFrom(fragment);
  } catch {
    return; // The page says what is wrong with the link.
  }
  const keys = deriveLinkKeys(linkSecret);
  // The HTML's early script may have asked already (boot/early-start.ts): its answer is this
  // link's when it derived the same id; otherwise, or if it did not run, ask now.
  const handoff = takeEarlyHandoff();
  const meta = keys.then(async (k) =>
    handoff && (await handoff.id.catch(() => null)) === k.id
      ? answerOf<ShareMetadata>(handoff.response)
      : sharesApi.metadata(k.id),
  );
  // The page handles failures when it mounts; until then they are no "unhandled rejection".
  keys.catch(() => undefined);
  meta.catch(() => undefined);
  early = { fragment, keys, meta };
}

/** The request started for this fragment, if one was. */
export function earlyMetadata(fragment: string): EarlyMetadata | null {
  return early?.fragment === fragment ? early : null;
}
