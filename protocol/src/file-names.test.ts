import { describe, expect, it } from "vitest";

import { MAX_FILE_NAME_BYTES, sanitiseFileName } from "./file-names.js";

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe("sanitiseFileName", () => {
  it("keeps ordinary names as they are", () => {
    for (const name of [
      "report.pdf",
      "kubeconfig",
      "Überweisung März.xlsx",
      "ключ 🔑.txt",
      "a b.tar.gz",
    ]) {
      expect(sanitiseFileName(name)).toBe(name);
    }
  });

  it("turns path separators and Windows-reserved characters into underscores", () => {
    expect(sanitiseFileName("../../etc/passwd")).toBe("_.._etc_passwd");
    expect(sanitiseFileName("..\\..\\Windows\\win.ini")).toBe("_.._Windows_win.ini");
    expect(sanitiseFileName("/etc/shadow")).toBe("_etc_shadow");
    expect(sanitiseFileName("C:secret.txt")).toBe("C_secret.txt");
    expect(sanitiseFileName('a<b>c:d"e|f?g*h')).toBe("a_b_c_d_e_f_g_h");
    for (const name of ["x/y", "x\\y", "../a", "..\\a"]) {
      expect(sanitiseFileName(name)).not.toMatch(/[/\\]/);
    }
  });

  it("removes control characters and invisible direction overrides", () => {
    expect(sanitiseFileName("evil\u0000.txt")).toBe("evil.txt");
    expect(sanitiseFileName("line\r\nbreak\t.txt")).toBe("linebreak.txt");
    expect(sanitiseFileName("esc\u001b[31mred.txt")).toBe("esc[31mred.txt");
    expect(sanitiseFileName("c1\u009b.txt")).toBe("c1.txt");
    // "invoice‮fdp.exe" shows as "invoiceexe.pdf" on screen.
    expect(sanitiseFileName("invoice\u202efdp.exe")).toBe("invoicefdp.exe");
    expect(sanitiseFileName("a\u200b\u2066b\u2069\ufeff.txt")).toBe("ab.txt");
  });

  it("never starts with a dot, never ends with a dot or space", () => {
    expect(sanitiseFileName(".env")).toBe("env");
    expect(sanitiseFileName("..")).toBe("file");
    expect(sanitiseFileName(".")).toBe("file");
    expect(sanitiseFileName(" . .bashrc")).toBe("bashrc");
    expect(sanitiseFileName("notes.txt. . ")).toBe("notes.txt");
  });

  it("does not give device names Windows would open instead of a file", () => {
    expect(sanitiseFileName("CON")).toBe("_CON");
    expect(sanitiseFileName("nul.txt")).toBe("_nul.txt");
    expect(sanitiseFileName("com1.log")).toBe("_com1.log");
    expect(sanitiseFileName("console.log")).toBe("console.log");
  });

  it("nor the device names Windows also reads through spaces or superscript digits", () => {
    // Win32 ignores spaces after a device name ("nul .txt" is NUL), and Microsoft's naming
    // rules reserve COM¹ to COM³ and LPT¹ to LPT³ beside COM1 to COM9.
    expect(sanitiseFileName("nul .txt")).toBe("_nul .txt");
    expect(sanitiseFileName("CON  .log")).toBe("_CON .log");
    expect(sanitiseFileName("aux ")).toBe("_aux");
    expect(sanitiseFileName("COM¹")).toBe("_COM¹");
    expect(sanitiseFileName("lpt³.txt")).toBe("_lpt³.txt");
    expect(sanitiseFileName("null .txt")).toBe("null .txt");
  });

  it("falls back when nothing is left", () => {
    expect(sanitiseFileName("")).toBe("file");
    expect(sanitiseFileName("\u0000\u0001")).toBe("file");
    expect(sanitiseFileName("   ")).toBe("file");
    expect(sanitiseFileName("...", "download")).toBe("download");
  });

  it("bounds the length in UTF-8 bytes, keeps the extension and whole characters", () => {
    const long = sanitiseFileName(`${"a".repeat(400)}.pdf`);
    expect(bytes(long)).toBe(MAX_FILE_NAME_BYTES);
    expect(long.endsWith(".pdf")).toBe(true);
    const wide = sanitiseFileName(`${"🔑".repeat(100)}.txt`);
    expect(bytes(wide)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
    expect(wide).toBe(`${"🔑".repeat(62)}.txt`);
    const noExtension = sanitiseFileName("é".repeat(300));
    expect(noExtension).toBe("é".repeat(127));
    // An "extension" longer than 16 characters is not kept whole.
    expect(bytes(sanitiseFileName(`x.${"y".repeat(300)}`))).toBe(MAX_FILE_NAME_BYTES);
  });

  it("normalises to NFC so one name has one spelling", () => {
    expect(sanitiseFileName("Cafe\u0301.txt")).toBe("Café.txt");
  });

  it("is idempotent", () => {
    for (const name of ["../x", ".env", "a\u202eb", `${"z".repeat(300)}.md`, "CON", " x. "]) {
      const once = sanitiseFileName(name);
      expect(sanitiseFileName(once)).toBe(once);
    }
  });
});
