import { Trans } from "@lingui/react/macro";
import { useEffect, useState } from "react";

import { isPhone } from "../../../lib/device";

/**
 * The link as a QR code image (a data: URL, allowed by the CSP's img-src). The qrcode library is
 * loaded only once a link exists, to keep it out of the first page load. On a phone there is
 * nothing to scan it with (the reader is the phone), so it is left out.
 */
export function QrCode({ value, label }: { value: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [onPhone] = useState(isPhone);

  useEffect(() => {
    if (onPhone) return;
    let cancelled = false;
    import("qrcode")
      .then((qr) =>
        qr.toDataURL(value, {
          errorCorrectionLevel: "M",
          margin: 2,
          width: 440,
          color: { dark: "#14161aff", light: "#ffffffff" },
        }),
      )
      .then((url) => {
        if (!cancelled) setSrc(url);
      })
      .catch(() => {
        if (!cancelled) setSrc(null);
      });
    return () => {
      cancelled = true;
    };
  }, [value, onPhone]);

  if (onPhone) return null;
  return (
    <figure className="qr">
      {src ? (
        <img className="qr__image" src={src} alt={label} width={176} height={176} />
      ) : (
        <div className="qr__image qr__placeholder" aria-hidden="true" />
      )}
      <figcaption className="qr__caption">
        <Trans>Scan to open on a phone</Trans>
      </figcaption>
    </figure>
  );
}
