/**
 * Colour arithmetic for custom branding (SPEC F7): WCAG contrast, and the whole palette of the
 * stylesheet's custom properties derived from an organization's three colours, so a branded page
 * stays readable whatever the admin picked (dark backgrounds and pale primaries included).
 */
import { formatNumber } from "../../lib/format";

export interface BrandColors {
  primaryColor: string;
  backgroundColor: string;
  textColor: string;
}

/** Hushlink's own colours (the :root defaults in styles/base.css). */
export const DEFAULT_COLORS: BrandColors = {
  primaryColor: "#3451b2",
  backgroundColor: "#f5f6f8",
  textColor: "#1a1d23",
};

/** WCAG AA for normal text; the server refuses text on background below this (low_contrast). */
export const MIN_TEXT_CONTRAST = 4.5;
/**
 * WCAG AA for the parts of controls (focus rings, borders that identify a control); the server
 * also refuses a primary colour below this against the background (low_contrast, pair primary).
 */
export const MIN_UI_CONTRAST = 3;

const WHITE = "#ffffff";
const BLACK = "#000000";
/** Button text on a pale primary: near-black, as the default text colour is. */
export const NEAR_BLACK = "#14161a";

type Rgb = readonly [number, number, number];

const HEX = /^#([0-9a-f]{6})$/i;

export function isHexColor(value: string): boolean {
  return HEX.test(value);
}

/** "#AbC123" → "#abc123"; also accepts "abc123" and the short "#abc". Null if not a colour. */
export function normalizeHex(value: string): string | null {
  const raw = value.trim().replace(/^#/, "");
  if (/^[0-9a-f]{3}$/i.test(raw)) {
    return `#${[...raw].map((c) => c + c).join("")}`.toLowerCase();
  }
  return /^[0-9a-f]{6}$/i.test(raw) ? `#${raw.toLowerCase()}` : null;
}

function rgb(hex: string): Rgb {
  const match = HEX.exec(hex);
  if (!match?.[1]) throw new Error(`not a #rrggbb colour: ${hex}`);
  const n = parseInt(match[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function hex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;
}

/** Relative luminance (https://www.w3.org/TR/WCAG21/#dfn-relative-luminance). */
export function luminance(color: string): number {
  const [r, g, b] = rgb(color).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as unknown as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Contrast ratio of two colours, 1 to 21 (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * "4.5:1" ("4,5:1" in German), rounded down so a displayed figure never claims more than is
 * there.
 */
export function formatRatio(ratio: number): string {
  return `${formatNumber(Math.floor(ratio * 100) / 100)}:1`;
}

/** `amount` of `a` mixed into `b` (like CSS color-mix(in srgb, a amount, b)). */
export function mix(a: string, b: string, amount: number): string {
  const [x, y] = [rgb(a), rgb(b)];
  return hex([0, 1, 2].map((i) => x[i]! * amount + y[i]! * (1 - amount)) as unknown as Rgb);
}

/** White or near-black, whichever reads better on `background` (button text on the primary). */
export function readableTextOn(background: string): string {
  return contrastRatio(WHITE, background) >= contrastRatio(NEAR_BLACK, background)
    ? WHITE
    : NEAR_BLACK;
}

/**
 * `color` itself if it reaches `min` against every one of `backgrounds`, else `color` moved step
 * by step towards `towards` until it does (or `towards` itself).
 */
function readable(color: string, backgrounds: string[], min: number, towards: string): string {
  for (let step = 0; step <= 20; step++) {
    const candidate = mix(towards, color, step / 20);
    if (backgrounds.every((bg) => contrastRatio(candidate, bg) >= min)) return candidate;
  }
  return towards;
}

function valid(colors: Partial<BrandColors>): BrandColors {
  const pick = (key: keyof BrandColors) => {
    const value = colors[key];
    return value && isHexColor(value) ? value.toLowerCase() : DEFAULT_COLORS[key];
  };
  return {
    primaryColor: pick("primaryColor"),
    backgroundColor: pick("backgroundColor"),
    textColor: pick("textColor"),
  };
}

/**
 * Every colour property of the stylesheet, derived from the three brand colours: surfaces and
 * borders from the background and text, hover and soft shades of the primary, a readable button
 * text (white or near-black by luminance), and text-coloured variants of the primary that keep
 * 4.5:1 where the primary itself is too pale (or too dark) to be read on the page.
 */
export function themeFor(colors: Partial<BrandColors>) {
  const { primaryColor: primary, backgroundColor: bg, textColor: text } = valid(colors);
  const dark = contrastRatio(WHITE, bg) > contrastRatio(BLACK, bg);

  // Cards lift off the page: towards white on a light page, towards the text on a dark one.
  const surface = dark ? mix(text, bg, 0.07) : mix(WHITE, bg, 0.8);
  const sunken = mix(surface, bg, 0.5);
  const neutralSoft = mix(text, surface, 0.07);
  const pageColors = [bg, surface, sunken, neutralSoft];

  // Muted text: as pale as it can be while still readable on every surface.
  let muted = text;
  for (let amount = 0.45; amount > 0; amount -= 0.05) {
    const candidate = mix(surface, text, amount);
    if (pageColors.every((c) => contrastRatio(candidate, c) >= MIN_TEXT_CONTRAST + 0.1)) {
      muted = candidate;
      break;
    }
  }

  // Hover and pressed shades go darker, except for a primary that is nearly black already.
  const shadeTowards = luminance(primary) > 0.02 ? BLACK : WHITE;
  const hover = mix(shadeTowards, primary, 0.14);
  const active = mix(shadeTowards, primary, 0.26);
  const soft = mix(primary, surface, 0.1);

  return {
    "--accent": primary,
    "--accent-hover": hover,
    "--accent-active": active,
    "--accent-soft": soft,
    "--accent-contrast": readableTextOn(primary),
    "--accent-border": mix(primary, surface, 0.3),
    "--accent-text": readable(primary, [...pageColors, soft], MIN_TEXT_CONTRAST, text),
    "--info-text": readable(active, [soft], MIN_TEXT_CONTRAST + 0.1, text),
    "--focus": readable(primary, [bg, surface], MIN_UI_CONTRAST, text),
    "--bg": bg,
    "--surface": surface,
    "--surface-sunken": sunken,
    "--neutral-soft": neutralSoft,
    "--text": text,
    "--text-muted": muted,
    "--placeholder": muted,
    "--border": mix(text, surface, 0.14),
    "--border-strong": mix(text, surface, 0.32),
    "--border-hover": mix(text, surface, 0.5),
    "color-scheme": dark ? "dark" : "light",
  } satisfies Record<string, string>;
}

/** The custom properties of styles/base.css that branding sets (and color-scheme), with values. */
export type Theme = ReturnType<typeof themeFor>;
