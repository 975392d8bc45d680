import { useEffect, useState } from "react";

import { sharesApi, type PublicConfig } from "./api";

/**
 * The server's public limits (secret size, longest expiry, views, e-mail on or off), or null
 * until they arrive. If they never do, callers keep their defaults: the server still refuses
 * what is over its limits when the form is sent.
 */
export function usePublicConfig(): PublicConfig | null {
  const [config, setConfig] = useState<PublicConfig | null>(null);
  useEffect(() => {
    let cancelled = false;
    sharesApi
      .config()
      .then((answer) => {
        if (!cancelled) setConfig(answer);
      })
      .catch(() => {
        // Keep the defaults (see above).
      });
    return () => {
      cancelled = true;
    };
  }, []);
  return config;
}
