/**
 * What an uploaded logo really is, from its bytes: magic numbers decide the type (never the file
 * name or the Content-Type header), and the image header gives its size. Anything that is not a
 * PNG, JPEG or WebP — SVG, HTML, a renamed executable — is refused.
 */
import { AppError, BadRequestError } from "../../errors.js";

export const MAX_LOGO_BYTES = 512 * 1024;
export const MAX_LOGO_SIDE = 2048;

const TYPES = [
  {
    type: "image/png",
    test: (b: Buffer) =>
      b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { type: "image/jpeg", test: (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    type: "image/webp",
    test: (b: Buffer) =>
      b.subarray(0, 4).toString("latin1") === "RIFF" &&
      b.subarray(8, 12).toString("latin1") === "WEBP",
  },
] as const;

export type LogoType = (typeof TYPES)[number]["type"];

export async function inspectLogo(bytes: Buffer): Promise<{
  contentType: LogoType;
  width: number;
  height: number;
}> {
  if (bytes.length > MAX_LOGO_BYTES) {
    throw new AppError(
      413,
      "logo_too_large",
      `The logo must be at most ${MAX_LOGO_BYTES / 1024} KiB.`,
    );
  }
  const match = TYPES.find((t) => t.test(bytes));
  if (!match) {
    throw new AppError(
      415,
      "unsupported_image",
      "The logo must be a PNG, JPEG or WebP image (SVG is not accepted).",
    );
  }
  let size: { width?: number; height?: number; type?: string };
  // Loaded at the first upload: few instances ever take a logo, and an idle server need not
  // carry the parser (issue 24: idle memory; startup-footprint.test.ts).
  const { imageSize } = await import("image-size");
  try {
    size = imageSize(bytes);
  } catch {
    throw new BadRequestError("invalid_image", "The logo could not be read as an image.");
  }
  const expected = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" }[match.type];
  if (size.type !== expected || !size.width || !size.height) {
    throw new BadRequestError("invalid_image", "The logo could not be read as an image.");
  }
  if (size.width > MAX_LOGO_SIDE || size.height > MAX_LOGO_SIDE) {
    throw new BadRequestError(
      "logo_too_large",
      `The logo must be at most ${MAX_LOGO_SIDE}×${MAX_LOGO_SIDE} pixels.`,
    );
  }
  return { contentType: match.type, width: size.width, height: size.height };
}
