import { Trans } from "@lingui/react/macro";
import type { ReactNode } from "react";

const absent = (node: ReactNode) =>
  node === null || node === undefined || node === false || node === "";

/** The one message of the space between two others: a translation keeps it or drops it. */
function Joined({ first, second }: { first: ReactNode; second: ReactNode }) {
  return (
    // eslint-disable-next-line lingui/no-single-variables-to-translate -- the space is the text
    <Trans context="two phrases or sentences in a row: a space, none in Chinese and Japanese">
      {first} {second}
    </Trans>
  );
}

/**
 * Two messages in a row: a label and "(optional)", or two sentences. The space between them is a
 * message of its own, not JSX, because Chinese and Japanese put none there ("名称（可选）",
 * "…1 GB。在您的浏览器中…"). When one of the two is absent, the other stands alone, with no
 * space either side.
 */
export function SideBySide({ first, second }: { first: ReactNode; second: ReactNode }) {
  if (absent(second)) return <>{first}</>;
  if (absent(first)) return <>{second}</>;
  return <Joined first={first} second={second} />;
}

/** The same space alone, between two messages that a component writes apart. */
export function Gap() {
  return <Joined first="" second="" />;
}
