import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";

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
import { LogoField } from "../../../features/branding/components/LogoField";
import { Loading } from "../../../components/Loading";

type ColorKey = keyof BrandColors;
type Colors = Record<ColorKey, string | null>;

const NO_COLORS: Colors = { primaryColor: null, backgroundColor: null, textColor: null };

const FIELDS: { key: ColorKey; label: string; hint: string }[] = [
  { key: "primaryColor", label: "Primary colour", hint: "Buttons, links and highlights." },
  { key: "backgroundColor", label: "Background colour", hint: "Behind the page's card." },
  { key: "textColor", label: "Text colour", hint: "Headings and body text." },
];

type LoadState =
  { kind: "loading" } | { kind: "failed"; message: string } | { kind: "ready"; saved: OrgBranding };

type SaveState =
  | { kind: "idle" }
  | { kind: "saving" | "resetting" }
  | { kind: "saved"; message: string }
  | { kind: "error"; message: string; lowContrast: "text" | "primary" | null };

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
 * with a live preview and the contrast the server will check. Admins edit; members see it all
 * read-only.
 */
export function BrandingTab({ org }: TabProps) {
  const ids = useId();
  const canEdit = org.role === "admin";
  const [load, setLoad] = useState<LoadState>({ kind: "loading" });
  const [colors, setColors] = useState<Colors>(NO_COLORS);
  const [save, setSave] = useState<SaveState>({ kind: "idle" });
  const errorRef = useRef<HTMLDivElement>(null);

  const fetchBranding = useCallback(async (): Promise<LoadState> => {
    try {
      return { kind: "ready", saved: await brandingApi.get(org.id) };
    } catch (error) {
      return {
        kind: "failed",
        message: error instanceof Error ? error.message : "The branding could not be loaded.",
      };
    }
  }, [org.id]);

  useEffect(() => {
    let cancelled = false;
    void fetchBranding().then((next) => {
      if (cancelled) return;
      setLoad(next);
      if (next.kind === "ready") setColors(colorsOf(next.saved));
    });
    return () => {
      cancelled = true;
    };
  }, [fetchBranding]);

  // Bring a refusal into view and to the screen reader's attention.
  useEffect(() => {
    if (save.kind === "error") errorRef.current?.focus();
  }, [save]);

  if (load.kind === "loading") {
    return <Loading>Loading the branding…</Loading>;
  }
  if (load.kind === "failed") {
    return (
      <Notice tone="danger" role="alert">
        {load.message}{" "}
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => void fetchBranding().then(setLoad)}
        >
          Try again
        </button>
      </Notice>
    );
  }

  const saved = load.saved;
  const effective = withDefaults(colors);
  const ratio = contrastRatio(effective.textColor, effective.backgroundColor);
  const readable = ratio >= MIN_TEXT_CONTRAST;
  const primaryRatio = contrastRatio(effective.primaryColor, effective.backgroundColor);
  const primaryReadable = primaryRatio >= MIN_UI_CONTRAST;
  const buttonText = readableTextOn(effective.primaryColor);
  const buttonRatio = contrastRatio(buttonText, effective.primaryColor);
  const dirty = FIELDS.some(({ key }) => colors[key] !== saved[key]);
  const hasAny = FIELDS.some(({ key }) => colors[key] !== null);
  const branded = hasAny || saved.logoUrl !== null;
  const busy = save.kind === "saving" || save.kind === "resetting";
  const lowContrast = save.kind === "error" ? save.lowContrast : null;
  const errorId = `${ids}-save-error`;

  function change(key: ColorKey, value: string | null) {
    setColors((current) => ({ ...current, [key]: value }));
    if (save.kind !== "idle" && save.kind !== "saving") setSave({ kind: "idle" });
  }

  async function store(next: Colors, kind: "saving" | "resetting") {
    setSave({ kind });
    try {
      const answer = await brandingApi.setColors(org.id, next);
      setLoad({ kind: "ready", saved: answer });
      setColors(colorsOf(answer));
      setSave({
        kind: "saved",
        message:
          kind === "resetting"
            ? "Colours reset to the defaults."
            : `Saved. Share and request pages of ${org.name} use these colours now.`,
      });
    } catch (error) {
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
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!busy) void store(colors, "saving");
  }

  async function uploadLogo(file: File) {
    const answer = await brandingApi.uploadLogo(org.id, file);
    setLoad({ kind: "ready", saved: { ...saved, logoUrl: answer.logoUrl } });
  }

  async function removeLogo() {
    await brandingApi.removeLogo(org.id);
    setLoad({ kind: "ready", saved: { ...saved, logoUrl: null } });
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

        <LogoField
          logoUrl={saved.logoUrl}
          orgName={org.name}
          readOnly={!canEdit}
          onUpload={uploadLogo}
          onRemove={removeLogo}
        />

        <form className="stack stack--tight" onSubmit={submit} noValidate aria-busy={busy}>
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
              <button type="submit" className="button button--primary" disabled={busy}>
                {save.kind === "saving" ? <span className="spinner" aria-hidden="true" /> : null}
                <span>{save.kind === "saving" ? "Saving…" : "Save colours"}</span>
              </button>
              <button
                type="button"
                className="button button--secondary"
                disabled={busy || (!hasAny && !dirty)}
                onClick={() => void store(NO_COLORS, "resetting")}
              >
                {save.kind === "resetting" ? "Resetting…" : "Reset to default"}
              </button>
              {dirty && save.kind === "idle" && (
                <span className="form-actions__note">Unsaved changes</span>
              )}
            </div>
          )}
          {/* Always present, so the message is announced when it appears. */}
          <div className="live-region" role="status" aria-live="polite">
            {save.kind === "saved" && <Notice tone="success">{save.message}</Notice>}
          </div>
        </form>
      </div>

      <BrandPreview
        colors={effective}
        logoUrl={saved.logoUrl}
        orgName={org.name}
        branded={branded}
      />
    </div>
  );
}
