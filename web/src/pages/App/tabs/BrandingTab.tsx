import type { MessageDescriptor } from "@lingui/core";
import { msg } from "@lingui/core/macro";
import { Trans, useLingui } from "@lingui/react/macro";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";

import { CheckIcon, AlertIcon } from "../../../components/icons";
import { unlessBusy } from "../../../lib/busy";
import { Notice } from "../../../components/Notice";
import { isApiError } from "../../../lib/api";
import type { TabProps } from "./tab-props";
import { brandingApi, type OrgBranding } from "../../../features/branding/api";
import {
  contrastRatio,
  DEFAULT_COLORS,
  formatRatio,
  MIN_TEXT_CONTRAST,
  MIN_UI_CONTRAST,
  readableTextOn,
  type BrandColors,
} from "../../../features/branding/colors";
import { BrandPreview } from "../../../features/branding/components/BrandPreview";
import { ColorField } from "../../../features/branding/components/ColorField";
import { LogoField, uploadError } from "../../../features/branding/components/LogoField";
import { readAsDataUrl } from "../../../features/branding/read-as-data-url";
import { useOrgSetting } from "../../../features/dashboard/use-org-setting";
import { Loading } from "../../../components/Loading";
import { Gap } from "../../../components/SideBySide";

type ColorKey = keyof BrandColors;
type Colors = Record<ColorKey, string | null>;

const NO_COLORS: Colors = { primaryColor: null, backgroundColor: null, textColor: null };

const FIELDS: { key: ColorKey; label: MessageDescriptor; hint: MessageDescriptor }[] = [
  { key: "primaryColor", label: msg`Primary colour`, hint: msg`Buttons, links and highlights.` },
  { key: "backgroundColor", label: msg`Background colour`, hint: msg`Behind the page's card.` },
  { key: "textColor", label: msg`Text colour`, hint: msg`Headings and body text.` },
];

type SaveState =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; message: string }
  | { kind: "error"; message: string; lowContrast: "text" | "primary" | null };

/** The logo as it will be after Save: unchanged, a picked file (with its preview), or removed. */
type LogoDraft = { kind: "keep" } | { kind: "file"; file: File; url: string } | { kind: "remove" };
const KEEP: LogoDraft = { kind: "keep" };

const colorsOf = (branding: OrgBranding): Colors => ({
  primaryColor: branding.primaryColor,
  backgroundColor: branding.backgroundColor,
  textColor: branding.textColor,
});

const withDefaults = (colors: Colors): BrandColors => ({
  primaryColor: colors.primaryColor ?? DEFAULT_COLORS.primaryColor,
  backgroundColor: colors.backgroundColor ?? DEFAULT_COLORS.backgroundColor,
  textColor: colors.textColor ?? DEFAULT_COLORS.textColor,
});

/**
 * `/app/branding` (SPEC F7): the organization's logo and colours for its share and request pages,
 * with a live preview and the contrast the server will check. Logo and colours are staged and
 * saved together by one Save (or dropped by Discard), so what visitors see changes once and never
 * half-way. Admins edit; members see it all read-only.
 */
export function BrandingTab({ org }: TabProps) {
  const { t, i18n } = useLingui();
  const ids = useId();
  const orgName = org.name;
  const canEdit = org.role === "admin";
  const [colors, setColors] = useState<Colors>(NO_COLORS);
  const [logo, setLogo] = useState<LogoDraft>(KEEP);
  const [save, setSave] = useState<SaveState>({ kind: "idle" });
  const errorRef = useRef<HTMLDivElement>(null);

  const { setting, setValue, retry } = useOrgSetting(org.id, brandingApi.get, (saved) =>
    setColors(colorsOf(saved)),
  );

  // Bring a refusal into view and to the screen reader's attention.
  useEffect(() => {
    if (save.kind === "error") errorRef.current?.focus();
  }, [save]);

  if (setting.kind === "loading") {
    return (
      <Loading>
        <Trans>Loading the branding…</Trans>
      </Loading>
    );
  }
  if (setting.kind === "failed") {
    return (
      <Notice tone="danger" role="alert">
        {setting.message}
        <Gap />
        <button type="button" className="button button--secondary button--small" onClick={retry}>
          <Trans>Try again</Trans>
        </button>
      </Notice>
    );
  }

  const saved = setting.value;
  const effective = withDefaults(colors);
  const ratio = contrastRatio(effective.textColor, effective.backgroundColor);
  const primaryRatio = contrastRatio(effective.primaryColor, effective.backgroundColor);
  const buttonText = readableTextOn(effective.primaryColor);
  const buttonRatio = contrastRatio(buttonText, effective.primaryColor);
  const colorsDirty = FIELDS.some(({ key }) => colors[key] !== saved[key]);
  const dirty = colorsDirty || logo.kind !== "keep";
  const hasAny = FIELDS.some(({ key }) => colors[key] !== null);
  const shownLogo = logo.kind === "file" ? logo.url : logo.kind === "remove" ? null : saved.logoUrl;
  const branded = hasAny || shownLogo !== null;
  const busy = save.kind === "saving";
  const lowContrast = save.kind === "error" ? save.lowContrast : null;
  const errorId = `${ids}-save-error`;

  function change(key: ColorKey, value: string | null) {
    setColors((current) => ({ ...current, [key]: value }));
    if (save.kind !== "idle" && save.kind !== "saving") setSave({ kind: "idle" });
  }

  function stageLogo(next: LogoDraft) {
    setLogo(next);
    if (save.kind !== "idle" && save.kind !== "saving") setSave({ kind: "idle" });
  }

  function discard() {
    setColors(colorsOf(saved));
    setLogo(KEEP);
    setSave({ kind: "idle" });
  }

  /**
   * Colours first (a refusal there saves nothing), then the logo; if the logo is refused, the
   * colours go back to what they were, so the pages never show half of a change.
   */
  async function store() {
    setSave({ kind: "saving" });
    let answer = saved;
    try {
      if (colorsDirty) answer = await brandingApi.setColors(org.id, colors);
    } catch (error) {
      refused(error);
      return;
    }
    try {
      if (logo.kind === "file") {
        answer = { ...answer, ...(await brandingApi.uploadLogo(org.id, logo.file)) };
      } else if (logo.kind === "remove") {
        await brandingApi.removeLogo(org.id);
        answer = { ...answer, logoUrl: null };
      }
    } catch (error) {
      if (colorsDirty) await brandingApi.setColors(org.id, colorsOf(saved)).catch(() => undefined);
      const reason = uploadError(error);
      setSave({ kind: "error", lowContrast: null, message: t`Not saved: ${reason}` });
      return;
    }
    setValue(answer);
    setColors(colorsOf(answer));
    setLogo(KEEP);
    setSave({
      kind: "saved",
      message: t`Saved. Share and request pages of ${orgName} use this logo and these colours now.`,
    });
  }

  function refused(error: unknown) {
    const low = isApiError(error, "low_contrast");
    const pair = low && error.details.pair === "primary" ? "primary" : low ? "text" : null;
    const reason = error instanceof Error ? error.message : "";
    const advice =
      pair === "primary"
        ? t`Pick a primary colour that stands out from the background.`
        : t`Pick a darker text or a lighter background (or the other way round).`;
    setSave({
      kind: "error",
      lowContrast: pair,
      message: low
        ? t`Not saved: ${reason} ${advice}`
        : error instanceof Error
          ? t`Not saved: ${reason}`
          : t`Not saved. Try again.`,
    });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!busy && dirty) void store();
  }

  return (
    <div className="branding">
      <div className="branding__settings stack">
        <div className="page-intro">
          <h2 className="section-title">
            <Trans>Branding of share and request pages</Trans>
          </h2>
          <p className="field__hint">
            <Trans>
              People who open {orgName}&rsquo;s links see this logo and these colours instead of
              Hushlink&rsquo;s, and no Hushlink name.
            </Trans>
          </p>
        </div>

        {!canEdit && (
          <Notice tone="info">
            <Trans>Only admins of {orgName} can change the branding.</Trans>
          </Notice>
        )}

        <form className="stack stack--tight" onSubmit={submit} noValidate aria-busy={busy}>
          <LogoField
            logoUrl={shownLogo}
            staged={logo.kind === "file"}
            orgName={org.name}
            readOnly={!canEdit}
            busy={busy}
            onPick={(file) =>
              void readAsDataUrl(file).then((url) => stageLogo({ kind: "file", file, url }))
            }
            onRemove={() => stageLogo(logo.kind === "file" ? KEEP : { kind: "remove" })}
          />
          <fieldset className="fieldset" disabled={!canEdit}>
            <legend className="field__label">
              <Trans>Colours</Trans>
            </legend>
            <div className="color-fields">
              {FIELDS.map(({ key, label, hint }) => (
                <ColorField
                  key={key}
                  label={i18n._(label)}
                  hint={i18n._(hint)}
                  value={colors[key]}
                  defaultValue={DEFAULT_COLORS[key]}
                  onChange={(value) => change(key, value)}
                  busy={busy}
                  invalid={
                    lowContrast === "primary"
                      ? key !== "textColor"
                      : lowContrast === "text" && key !== "primaryColor"
                  }
                  errorId={errorId}
                />
              ))}
            </div>
          </fieldset>

          <ContrastList
            ratio={ratio}
            primaryRatio={primaryRatio}
            buttonRatio={buttonRatio}
            whiteButtonText={buttonText === "#ffffff"}
          />

          {save.kind === "error" && (
            <div ref={errorRef} tabIndex={-1} id={errorId}>
              <Notice tone="danger" role="alert">
                {save.message}
              </Notice>
            </div>
          )}

          {canEdit && (
            <div className="form-actions">
              {/* Busy: aria-disabled, as disabled drops the focus; submit ignores presses. */}
              <button
                type="submit"
                className="button button--primary"
                disabled={!busy && !dirty}
                aria-disabled={busy || undefined}
              >
                {busy ? <span className="spinner" aria-hidden="true" /> : null}
                <span>{busy ? t`Saving…` : t`Save`}</span>
              </button>
              {/* Busy, these two are aria-disabled and ignore presses, as Save: disabled, Tab from
                  Save skipped them and a press on one dropped the focus to <body>. */}
              <button
                type="button"
                className="button button--secondary"
                disabled={!busy && !dirty}
                aria-disabled={busy || undefined}
                onClick={unlessBusy(busy, discard)}
              >
                <Trans>Discard changes</Trans>
              </button>
              <button
                type="button"
                className="button button--secondary"
                disabled={!busy && !hasAny}
                aria-disabled={busy || undefined}
                onClick={unlessBusy(busy, () => {
                  setColors(NO_COLORS);
                  setSave({ kind: "idle" });
                })}
              >
                <Trans>Default colours</Trans>
              </button>
              {dirty && !busy && (
                <span className="form-actions__note" data-testid="unsaved">
                  <Trans>Unsaved changes: visitors see them only after Save.</Trans>
                </span>
              )}
            </div>
          )}
          {/* Always present, so the message is announced when it appears. */}
          <div className="live-region" role="status" aria-live="polite">
            {/* Saved, Save is disabled (nothing left to save) and would drop the focus. */}
            {save.kind === "saved" && (
              <Notice tone="success" focus>
                {save.message}
              </Notice>
            )}
          </div>
        </form>
      </div>

      <BrandPreview colors={effective} logoUrl={shownLogo} orgName={org.name} branded={branded} />
    </div>
  );
}

/** The contrast the server checks on Save, live, with what each ratio means. */
function ContrastList({
  ratio,
  primaryRatio,
  buttonRatio,
  whiteButtonText,
}: {
  ratio: number;
  primaryRatio: number;
  buttonRatio: number;
  whiteButtonText: boolean;
}) {
  const { t } = useLingui();
  const readable = ratio >= MIN_TEXT_CONTRAST;
  const primaryReadable = primaryRatio >= MIN_UI_CONTRAST;
  const text = formatRatio(ratio);
  const primary = formatRatio(primaryRatio);
  const button = formatRatio(buttonRatio);
  const minText = formatRatio(MIN_TEXT_CONTRAST);
  const minUi = formatRatio(MIN_UI_CONTRAST);
  return (
    <ul className="contrast" aria-label={t`Contrast`}>
      <li className={`contrast__item ${readable ? "" : "contrast__item--low"}`}>
        {readable ? <CheckIcon /> : <AlertIcon />}
        <span>
          {readable ? (
            <Trans>
              Text on background: <strong data-testid="contrast-ratio">{text}</strong> — readable.
            </Trans>
          ) : (
            <Trans>
              Text on background: <strong data-testid="contrast-ratio">{text}</strong> — too low: at
              least {minText} is needed, or saving is refused.
            </Trans>
          )}
        </span>
      </li>
      <li className={`contrast__item ${primaryReadable ? "" : "contrast__item--low"}`}>
        {primaryReadable ? <CheckIcon /> : <AlertIcon />}
        <span>
          {primaryReadable ? (
            <Trans>
              Primary on background: <strong data-testid="primary-contrast-ratio">{primary}</strong>{" "}
              — buttons and links stand out.
            </Trans>
          ) : (
            <Trans>
              Primary on background: <strong data-testid="primary-contrast-ratio">{primary}</strong>{" "}
              — too low: at least {minUi} is needed, or saving is refused.
            </Trans>
          )}
        </span>
      </li>
      <li className="contrast__item">
        <CheckIcon />
        <span>
          {whiteButtonText ? (
            <Trans>
              Button text on primary: <strong>{button}</strong> (white, chosen automatically).
            </Trans>
          ) : (
            <Trans>
              Button text on primary: <strong>{button}</strong> (near-black, chosen automatically).
            </Trans>
          )}
        </span>
      </li>
    </ul>
  );
}
