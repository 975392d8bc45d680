import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import type { ComponentType } from "react";

import { Notice } from "../../../components/Notice";
import { RequireSecondFactor } from "../../../features/orgs/components/RequireSecondFactor";
import { PolicyForm } from "../../../features/policies/components/PolicyForm";
import { SsoSection } from "../../../features/sso/components/SsoSection";
import type { TabProps } from "./tab-props";

/**
 * The Security tab's sections, in order. Adding one (sharing policies, …) is one entry here: a
 * heading and a component that receives the organization's id.
 */
const SECTIONS: {
  id: string;
  title: MessageDescriptor;
  component: ComponentType<{ orgId: string }>;
}[] = [
  { id: "sso", title: msg`Single sign-on`, component: SsoSection },
  { id: "second-factor", title: msg`Two-step sign-in`, component: RequireSecondFactor },
  { id: "policy", title: msg`Sharing policy`, component: PolicyForm },
];

/** `/app/security` (admins): how people of the organization sign in, and its security rules. */
export function SecurityTab({ org }: TabProps) {
  const { i18n } = useLingui();
  const orgName = org.name;
  if (org.role !== "admin") {
    return (
      <Notice tone="info">
        <Trans>Only admins of {orgName} can change its security settings.</Trans>
      </Notice>
    );
  }
  return (
    <div className="stack">
      {SECTIONS.map(({ id, title, component: Section }) => (
        <section
          key={id}
          className="stack stack--tight security-section"
          aria-labelledby={`security-${id}`}
        >
          <h2 className="section-title" id={`security-${id}`}>
            {i18n._(title)}
          </h2>
          <Section orgId={org.id} />
        </section>
      ))}
    </div>
  );
}
