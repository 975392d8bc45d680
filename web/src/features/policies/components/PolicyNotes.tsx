import { Notice } from "../../../components/Notice";

/** What the organization's sharing policy limits in the form, said beside it (SPEC F16). */
export function PolicyNotes({ notes }: { notes: string[] }) {
  if (notes.length === 0) return null;
  return (
    <Notice tone="info">
      <strong>Your organization&apos;s sharing policy:</strong>{" "}
      {notes.map((note) => (
        <span key={note}>{note} </span>
      ))}
    </Notice>
  );
}
