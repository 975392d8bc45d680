/** Copies text; falls back to a selected off-screen field where the async Clipboard API is refused. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const field = document.createElement("textarea");
    field.value = text;
    field.readOnly = true;
    field.className = "clipboard-fallback";
    document.body.append(field);
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    field.select();
    try {
      // Deprecated, but the only path left when the Clipboard API is not allowed.
      return document.execCommand("copy");
    } finally {
      field.remove();
      previous?.focus();
    }
  }
}
