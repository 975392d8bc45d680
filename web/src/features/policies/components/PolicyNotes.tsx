import { Trans } from "@lingui/react/macro";

import { Notice } from "../../../components/Notice";
import { Gap } from "../../../components/SideBySide";

/** What the organization's sharing policy limits in the form, said beside it (SPEC F16). */
export function PolicyNotes({ notes }: { notes: string[] }) {
  if (notes.length === 0) return null;
  return (
    <Notice tone="info">
      <strong>
        <Trans>Your organization&apos;s sharing policy:</Trans>
      </strong>
      <Gap />
      {notes.map((note) => (
        <span key={note}>{note} </span>
      ))}
    </Notice>
  );
}
