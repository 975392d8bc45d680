import { useLingui } from "@lingui/react/macro";
import { punycodeOf } from "@hushlink/protocol/client";

import { SideBySide } from "./SideBySide";

/**
 * An e-mail address as people read it and, when its domain is not plain ASCII, the domain's
 * punycode beside it: `bob@bücher.example (xn--bcher-kva.example)`. A lookalike domain (all
 * Cyrillic letters that look Latin) reads like the real one in Unicode; its ASCII form does not.
 */
export function Address({ email }: { email: string }) {
  const { t } = useLingui();
  const ascii = punycodeOf(email);
  if (!ascii) return <>{email}</>;
  return (
    <SideBySide
      first={email}
      second={
        <span
          className="address__ascii"
          dir="ltr"
          title={t`The domain as DNS spells it: letters of another alphabet show here`}
        >
          {t`(${ascii})`}
        </span>
      }
    />
  );
}

/**
 * A bare domain (an SSO claim) as people read it, its punycode beside it as Address shows it:
 * punycodeOf reads what follows the last @, which for a domain alone is all of it.
 */
export function DomainName({ domain }: { domain: string }) {
  return <Address email={domain} />;
}
