import { fileTypeFromBuffer } from 'file-type';

/** What may be attached, recognised by content, never by the client's name or Content-Type. */
export const ALLOWED_TYPES = {
  'image/png': { label: 'PNG', extensions: ['png'] },
  'image/jpeg': { label: 'JPEG', extensions: ['jpg', 'jpeg'] },
  'image/gif': { label: 'GIF', extensions: ['gif'] },
  'image/webp': { label: 'WEBP', extensions: ['webp'] },
  'application/pdf': { label: 'PDF', extensions: ['pdf'] },
} as const;

export type AllowedType = keyof typeof ALLOWED_TYPES;

/** For messages: "PNG, JPEG, GIF, WEBP, PDF". */
export const ALLOWED_TYPE_LABELS = Object.values(ALLOWED_TYPES)
  .map((t) => t.label)
  .join(', ');

/** How many leading bytes the sniffer needs (file-type's own recommendation). */
export const SNIFF_BYTES = 4100;

function isAllowed(mime: string): mime is AllowedType {
  return Object.hasOwn(ALLOWED_TYPES, mime);
}

/** The file's type from its first bytes, or null when it is not one we accept. */
export async function sniffAllowedType(head: Uint8Array): Promise<AllowedType | null> {
  if (head.length === 0) return null;
  const found = await fileTypeFromBuffer(head);
  if (!found) return null;
  // An animated PNG is a PNG to every viewer.
  const mime = found.mime === 'image/apng' ? 'image/png' : found.mime;
  return isAllowed(mime) ? mime : null;
}

const NAME_MAX = 120;

/**
 * A name safe to show and to offer as a download name: no path, no control or bidi-override
 * characters (which can disguise `exe.png` as `png.exe`), and an extension matching the sniffed
 * type, so a file saved from Kefu never opens as something else.
 */
export function sanitizeAttachmentName(raw: string, type: AllowedType): string {
  const base =
    raw
      .normalize('NFC')
      .split(/[/\\]/)
      .pop()
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
      ?.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g, '')
      .replace(/[<>:"|?*]/g, '_')
      .replace(/\s+/g, ' ')
      .trim() ?? '';
  const dot = base.lastIndexOf('.');
  const extension = dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
  const allowed: readonly string[] = ALLOWED_TYPES[type].extensions;
  const keepsExtension = allowed.includes(extension);
  // A wrong extension stays part of the name, followed by the right one: `a.html` → `a.html.png`.
  let stem = (keepsExtension ? base.slice(0, dot) : base).replace(/^[.\s]+|[.\s]+$/g, '');
  if (!stem) stem = 'attachment';
  const suffix = `.${keepsExtension ? extension : allowed[0]}`;
  return `${[...stem].slice(0, NAME_MAX - suffix.length).join('')}${suffix}`;
}
