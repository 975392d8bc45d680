import { useEffect, useId, useRef, useState, type FormEvent } from "react";

import { CheckIcon, AlertIcon } from "../../../components/icons";
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
import { useOrgSetting } from "../../../features/dashboard/use-org-setting";
import { Loading } from "../../../components/Loading";

type ColorKey = keyof BrandColors;
type Colors = Record<ColorKey, string | null>;

const NO_COLORS: Colors = { primaryColor: null, backgroundColor: null, textColor: null };

const FIELDS: { key: ColorKey; label: string; hint: string }[] = [
  { key: "primaryColor", label: "Primary colour", hint: "Buttons, links and highlights." },
  { key: "backgroundColor", label: "Background colour", hint: "Behind the page's card." },
  { key: "textColor", label: "Text colour", hint: "Headings and body text." },
];

type SaveState =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; message: string }
  | { kind: "error"; message: string; lowContrast: "text" | "primary" | null };

/** The logo as it will be after Save: unchanged, a picked file (with its preview), or removed. */
type LogoDraft = { kind: "keep" } | { kind: "file"; file: File; url: string } | { kind: "remove" };
const KEEP: LogoDraft = { kind: "keep" };

/** A data: URL for the preview: with a blob: URL Chromium reported connect-src CSP violations. */
const readAsDataUrl = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : "");
    reader.onerror = () => reject(reader.error ?? new Error("The file could not be read."));
    reader.readAsDataURL(file);
  });

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
  const ids = useId();
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
    return <Loading>Loading the branding…</Loading>;
  }
  if (setting.kind === "failed") {
    return (
      <Notice tone="danger" role="alert">
        {setting.message}{" "}
        <button type="button" className="button button--secondary button--small" onClick={retry}>
          Try again
        </button>
      </Notice>
    );
  }

  const saved = setting.value;
  const effective = withDefaults(colors);
  const ratio = contrastRatio(effective.textColor, effective.backgroundColor);
  const readable = ratio >= MIN_TEXT_CONTRAST;
  const primaryRatio = contrastRatio(effective.primaryColor, effective.backgroundColor);
  const primaryReadable = primaryRatio >= MIN_UI_CONTRAST;
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
      setSave({ kind: "error", lowContrast: null, message: `Not saved: ${uploadError(error)}` });
      return;
    }
    setValue(answer);
    setColors(colorsOf(answer));
    setLogo(KEEP);
    setSave({
      kind: "saved",
      message: `Saved. Share and request pages of ${org.name} use this logo and these colours now.`,
    });
  }

  function refused(error: unknown) {
    const low = isApiError(error, "low_contrast");
    const pair = low && error.details.pair === "primary" ? "primary" : low ? "text" : null;
    setSave({
      kind: "error",
      lowContrast: pair,
      message: low
        ? `Not saved: ${error.message} ${pair === "primary" ? "Pick a primary colour that stands out from the background." : "Pick a darker text or a lighter background (or the other way round)."}`
        : error instanceof Error
          ? `Not saved: ${error.message}`
          : "Not saved. Try again.",
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
          <h2 className="section-title">Branding of share and request pages</h2>
          <p className="field__hint">
            People who open {org.name}&rsquo;s links see this logo and these colours instead of
            Hushlink&rsquo;s, and no Hushlink name.
          </p>
        </div>

        {!canEdit && (
          <Notice tone="info">Only admins of {org.name} can change the branding.</Notice>
        )}

        <form className="stack stack--tight" onSubmit={submit} noValidate aria-busy={busy}>
          <LogoField
            logoUrl={shownLogo}
            staged={logo.kind === "file"}
            orgName={org.name}
            readOnly={!canEdit}
            disabled={busy}
            onPick={(file) =>
              void readAsDataUrl(file).then((url) => stageLogo({ kind: "file", file, url }))
            }
            onRemove={() => stageLogo(logo.kind === "file" ? KEEP : { kind: "remove" })}
          />
          <fieldset className="fieldset" disabled={!canEdit}>
            <legend className="field__label">Colours</legend>
            <div className="color-fields">
              {FIELDS.map(({ key, label, hint }) => (
                <ColorField
                  key={key}
                  label={label}
                  hint={hint}
                  value={colors[key]}
                  defaultValue={DEFAULT_COLORS[key]}
                  onChange={(value) => change(key, value)}
                  disabled={!canEdit || busy}
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

          <ul className="contrast" aria-label="Contrast">
            <li className={`contrast__item ${readable ? "" : "contrast__item--low"}`}>
              {readable ? <CheckIcon /> : <AlertIcon />}
              <span>
                Text on background:{" "}
                <strong data-testid="contrast-ratio">{formatRatio(ratio)}</strong>
                {readable
                  ? " — readable."
                  : ` — too low: at least ${MIN_TEXT_CONTRAST}:1 is needed, or saving is refused.`}
              </span>
            </li>
            <li className={`contrast__item ${primaryReadable ? "" : "contrast__item--low"}`}>
              {primaryReadable ? <CheckIcon /> : <AlertIcon />}
              <span>
                Primary on background:{" "}
                <strong data-testid="primary-contrast-ratio">{formatRatio(primaryRatio)}</strong>
                {primaryReadable
                  ? " — buttons and links stand out."
                  : ` — too low: at least ${MIN_UI_CONTRAST}:1 is needed, or saving is refused.`}
              </span>
            </li>
            <li className="contrast__item">
              <CheckIcon />
              <span>
                Button text on primary: <strong>{formatRatio(buttonRatio)}</strong> (
                {buttonText === "#ffffff" ? "white" : "near-black"}, chosen automatically).
              </span>
            </li>
          </ul>

          {save.kind === "error" && (
            <div ref={errorRef} tabIndex={-1} id={errorId}>
              <Notice tone="danger" role="alert">
                {save.message}
              </Notice>
            </div>
          )}

          {canEdit && (
            <div className="form-actions">
              <button type="submit" className="button button--primary" disabled={busy || !dirty}>
                {busy ? <span className="spinner" aria-hidden="true" /> : null}
                <span>{busy ? "Saving…" : "Save"}</span>
              </button>
              <button
                type="button"
                className="button button--secondary"
                disabled={busy || !dirty}
                onClick={discard}
              >
                Discard changes
              </button>
              <button
                type="button"
                className="button button--secondary"
                disabled={busy || !hasAny}
                onClick={() => {
                  setColors(NO_COLORS);
                  setSave({ kind: "idle" });
                }}
              >
                Default colours
              </button>
              {dirty && !busy && (
                <span className="form-actions__note" data-testid="unsaved">
                  Unsaved changes: visitors see them only after Save.
                </span>
              )}
            </div>
          )}
          {/* Always present, so the message is announced when it appears. */}
          <div className="live-region" role="status" aria-live="polite">
            {save.kind === "saved" && <Notice tone="success">{save.message}</Notice>}
          </div>
        </form>
      </div>

      <BrandPreview colors={effective} logoUrl={shownLogo} orgName={org.name} branded={branded} />
    </div>
  );
}
