import { FormSubmit } from "../../../components/FormSubmit";

/** The end of every sign-in form: the error, if any, and one full-width submit button. */
export function AuthSubmit(props: {
  busy: boolean;
  error: string | null;
  label: string;
  busyLabel: string;
}) {
  return <FormSubmit {...props} large block />;
}
