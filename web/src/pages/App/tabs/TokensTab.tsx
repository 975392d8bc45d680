import { Trans, useLingui } from "@lingui/react/macro";
import { useId, useRef, useState } from "react";

import type { CreateApiTokenResponse } from "@hushlink/protocol";

import { CopiedDone } from "../../../features/dashboard/components/CopiedDone";
import { KeyNameCell, LastUsedCell } from "../../../features/dashboard/components/KeyCells";
import { DateCell, ShortDate } from "../../../features/dashboard/components/RowCells";
import { Announcer } from "../../../components/Announcer";
import { CopyField } from "../../../components/CopyField";
import { TrashIcon } from "../../../components/icons";
import { Notice } from "../../../components/Notice";
import { dashboardApi, type ApiToken } from "../../../features/dashboard/api";
import { ConfirmDialog } from "../../../features/dashboard/components/ConfirmDialog";
import { CreateTokenForm } from "../../../features/dashboard/components/CreateTokenForm";
import { PagedTable } from "../../../features/dashboard/components/PagedTable";
import { TabIntro } from "../../../features/dashboard/components/TabIntro";
import { formatShortDate } from "../../../features/dashboard/format";
import { refocusAfter } from "../../../features/dashboard/refocus";
import { SCOPE_LABEL } from "../../../features/dashboard/token-scopes";
import { useConfirm } from "../../../features/dashboard/use-confirm";
import { onePage, usePagedList } from "../../../features/dashboard/use-paged-list";
import { isApiError } from "../../../lib/api";
import { useFocusOnMount } from "../../../lib/use-focus-on-mount";
import type { TabProps } from "./tab-props";

const fetchTokens = () => onePage(dashboardApi.tokens());

/** SPEC F8: personal API tokens for the CLI and automation; the value is shown once. */
export function TokensTab({ me }: TabProps) {
  const { t, i18n } = useLingui();
  const ids = useId();
  const tokens = usePagedList(fetchTokens);
  const [created, setCreated] = useState<(CreateApiTokenResponse & { name: string }) | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const revoking = useConfirm<ApiToken>();
  const listRef = useRef<HTMLElement>(null);

  async function revoke(token: ApiToken) {
    const refocus = refocusAfter(listRef.current, `[data-token-id="${CSS.escape(token.id)}"]`);
    try {
      await dashboardApi.revokeToken(token.id);
    } catch (caught) {
      // Revoked already (in another tab): what was asked for is done.
      if (!isApiError(caught, "token_not_found")) throw caught;
    }
    const name = token.name;
    setAnnouncement(t`The token “${name}” was revoked.`);
    await tokens.reload();
    return refocus;
  }

  const revokingName = revoking.target?.name ?? "";

  return (
    <div className="stack">
      <section className="stack stack--tight" aria-labelledby={`${ids}-heading`}>
        <TabIntro headingId={`${ids}-heading`} title={t`API tokens`}>
          <Trans>
            For the <code>hushlink</code> command and scripts: send one as{" "}
            <code>Authorization: Bearer …</code>. A token acts as you, in all your organizations,
            within its scope, until it expires or you revoke it.
          </Trans>
        </TabIntro>

        {created ? (
          <CreatedToken
            created={created}
            onDone={() => {
              setCreated(null);
              // Done gives way to the form: the focus goes to the section's heading, which
              // stays, rather than to <body> with the button.
              document.getElementById(`${ids}-heading`)?.focus();
            }}
          />
        ) : (
          <CreateTokenForm
            email={me.user.email}
            onCreated={(name, answer) => {
              setCreated({ ...answer, name });
              void tokens.reload();
            }}
          />
        )}
      </section>

      <section ref={listRef} className="stack stack--tight" aria-labelledby={`${ids}-list-heading`}>
        {/* Takes focus when the last token was revoked (refocus.ts). */}
        <h2 id={`${ids}-list-heading`} className="section-title" tabIndex={-1}>
          <Trans>Your tokens</Trans>
        </h2>
        <PagedTable
          paged={tokens}
          loadingLabel={t`Loading your tokens…`}
          smallLoading
          empty={
            <p className="muted">
              <Trans>You have no API tokens.</Trans>
            </p>
          }
          caption={t`Your API tokens`}
          columns={[t`Name`, t`Scope`, t`Created`, t`Expires`, t`Last used`]}
          renderRow={(token) => (
            <tr
              key={token.id}
              className="data-table__row"
              data-token-id={token.id}
              data-token-name={token.name}
            >
              <KeyNameCell name={token.name} />
              <td data-label={t`Scope`}>{i18n._(SCOPE_LABEL[token.scope])}</td>
              <DateCell label={t`Created`} at={token.createdAt} />
              <td data-label={t`Expires`}>
                <Expiry expiresAt={token.expiresAt} expired={token.expired} />
              </td>
              <LastUsedCell at={token.lastUsedAt} />
              <td className="data-table__actions">
                <button
                  type="button"
                  className="button button--danger-outline button--small"
                  onClick={() => revoking.ask(token)}
                >
                  <TrashIcon />
                  <span>
                    <TokenRevokeLabel name={token.name} />
                  </span>
                </button>
              </td>
            </tr>
          )}
        />
      </section>

      <Announcer message={announcement} />

      <ConfirmDialog
        {...revoking.dialog}
        title={t`Revoke this token?`}
        confirmLabel={t`Revoke token`}
        busyLabel={t`Revoking…`}
        onConfirm={() => void revoking.run(revoke)}
      >
        <p>
          <Trans>
            Scripts and commands that use “{revokingName}” stop working at once. This cannot be
            undone.
          </Trans>
        </p>
      </ConfirmDialog>
    </div>
  );
}

/** "Revoke", and for screen readers which token. */
function TokenRevokeLabel({ name }: { name: string }) {
  return (
    <Trans>
      Revoke<span className="visually-hidden"> {name}</span>
    </Trans>
  );
}

function Expiry({ expiresAt, expired }: { expiresAt: string | null; expired: boolean }) {
  if (expiresAt === null) {
    return (
      <span className="muted">
        <Trans>Never</Trans>
      </span>
    );
  }
  const when = <ShortDate at={expiresAt} />;
  if (!expired) return when;
  return (
    <span className="token-expired">
      <span className="badge badge--danger">
        <Trans>Expired</Trans>
      </span>
      {when}
    </span>
  );
}

function CreatedToken({
  created,
  onDone,
}: {
  created: CreateApiTokenResponse & { name: string };
  onDone: () => void;
}) {
  const { t, i18n } = useLingui();
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const name = created.name;
  const scope = i18n._(SCOPE_LABEL[created.scope]);
  const expires = created.expiresAt;
  const expiresShort = expires === null ? "" : formatShortDate(expires);
  return (
    <div className="panel stack stack--tight created-token">
      <h3 className="section-title" ref={heading} tabIndex={-1}>
        <Trans>Token “{name}” created</Trans>
      </h3>
      <p>
        {expires === null ? (
          <Trans>{scope}, never expires.</Trans>
        ) : (
          <Trans>
            {scope}, expires <time dateTime={expires}>{expiresShort}</time>.
          </Trans>
        )}
      </p>
      <Notice tone="warning">
        <Trans>
          Copy it now: it is shown only this once. Store it like a password; anyone who has it acts
          as you.
        </Trans>
      </Notice>
      <CopyField
        label={t`Your new API token`}
        value={created.token}
        copyLabel={t`Copy API token`}
      />
      <CopiedDone onDone={onDone} />
    </div>
  );
}
