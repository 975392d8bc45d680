/**
 * Where the signed-in options of F1/F3 will go (organization-only access, e-mail recipients,
 * external recipients, notify on view). Anonymous creators have none, so for now it renders
 * nothing; the form already leaves its place between the limits and the submit button.
 */
export function SignedInOptions(_props: { signedIn: boolean }) {
  return null;
}
