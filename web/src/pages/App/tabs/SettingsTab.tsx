import { OrgNameForm } from "../../../features/orgs/components/OrgNameForm";
import type { TabProps } from "./tab-props";

/** The organization's settings: its name (admins rename it). */
export function SettingsTab({ org, refreshMe }: TabProps) {
  return (
    <div className="stack">
      <OrgNameForm
        key={org.id}
        orgId={org.id}
        name={org.name}
        isAdmin={org.role === "admin"}
        onRenamed={refreshMe}
      />
    </div>
  );
}
