/** An access log as the API shows it (shares' and requests' alike): ISO times, an address if known. */
export function presentAccessLog<Type extends string>(
  rows: {
    type: Type;
    at: number;
    ip: string | null;
    email: string | null;
    /** Whose link it happened on (a share with a link per recipient, F14). */
    recipient?: string | null;
  }[],
) {
  return {
    items: rows.map((e) => ({
      type: e.type,
      at: new Date(e.at).toISOString(),
      ip: e.ip,
      ...(e.email ? { userEmail: e.email } : {}),
      ...(e.recipient ? { recipient: e.recipient } : {}),
    })),
  };
}
