import { DeleteOrg } from "../../../features/orgs/components/DeleteOrg";
import { OrgLanguageForm } from "../../../features/orgs/components/OrgLanguageForm";
import { OrgNameForm } from "../../../features/orgs/components/OrgNameForm";
import type { TabProps } from "./tab-props";

/**
 * The organization's settings: its name and default language (admins change them) and, for
 * admins, deleting it.
 */
export function SettingsTab({ org, refreshMe }: TabProps) {
  const isAdmin = org.role === "admin";
  return (
    <div className="stack">
      <OrgNameForm
        key={org.id}
        orgId={org.id}
        name={org.name}
        isAdmin={isAdmin}
        onRenamed={refreshMe}
      />
      <OrgLanguageForm key={`language-${org.id}`} orgId={org.id} isAdmin={isAdmin} />
      {isAdmin && (
        <DeleteOrg
          key={`delete-${org.id}`}
          orgId={org.id}
          name={org.name}
          onDeleted={() => {
            // A fresh dashboard: another organization's shares, or the word that there is none.
            window.location.assign("/app");
          }}
        />
      )}
    </div>
  );
}
