import { useLayoutEffect, useRef } from "react";
import { Trans } from "@lingui/react/macro";

import { ClockIcon, EyeIcon, Logo } from "../../../components/icons";
import { themeFor, type BrandColors } from "../colors";

/**
 * A small static copy of a share page as recipients will see it, styled by the chosen colours:
 * the same derived palette as the real page, set as custom properties on this box only (CSSOM,
 * allowed by the CSP), so the dashboard around it keeps its own look. It is a picture, not a
 * form: inert, with a caption for assistive technology.
 */
export function BrandPreview({
  colors,
  logoUrl,
  orgName,
  branded,
}: {
  colors: BrandColors;
  logoUrl: string | null;
  orgName: string;
  /** False when nothing is set: pages keep Hushlink's own look, wordmark included. */
  branded: boolean;
}) {
  const boxRef = useRef<HTMLDivElement>(null);
  const { primaryColor, backgroundColor, textColor } = colors;

  useLayoutEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const theme = themeFor({ primaryColor, backgroundColor, textColor });
    for (const [name, value] of Object.entries(theme)) box.style.setProperty(name, value);
  }, [primaryColor, backgroundColor, textColor]);

  return (
    <figure className="brand-preview" aria-labelledby="brand-preview-caption">
      <figcaption id="brand-preview-caption" className="brand-preview__caption">
        <Trans>Preview of a share page</Trans>
      </figcaption>
      <div className="brand-preview__page" ref={boxRef} inert data-testid="brand-preview">
        <div className="brand-preview__header">
          {!branded ? (
            <span className="brand-preview__wordmark">
              <Logo width={20} height={20} />
              Hushlink
            </span>
          ) : logoUrl ? (
            <img className="brand-preview__logo" src={logoUrl} alt="" />
          ) : (
            <span className="brand-preview__wordmark">{orgName}</span>
          )}
        </div>
        <div className="brand-preview__card">
          <p className="brand-preview__title">
            <Trans>Someone shared a secret with you</Trans>
          </p>
          <p className="brand-preview__lead">
            <Trans>
              It stays encrypted until you press Reveal. Opening this page does not use it up.
            </Trans>
          </p>
          <p className="brand-preview__fact">
            <ClockIcon width={16} height={16} />
            <span>
              <Trans>
                Expires in 1 day · <span className="brand-preview__link">What is this?</span>
              </Trans>
            </span>
          </p>
          <span className="button button--primary brand-preview__button">
            <EyeIcon width={16} height={16} />
            <span>
              <Trans>Reveal secret</Trans>
            </span>
          </span>
        </div>
      </div>
    </figure>
  );
}
