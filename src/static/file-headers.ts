// Names a static file's Content-Type from its extension (mime-types), with utf-8 for text.
import path from 'node:path';
import { contentType } from 'mime-types';

/** The type sent when the extension is unknown (or there is none). */
const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

/** Content-Type for a file name, from its extension only; text types carry `charset=utf-8`. */
export function contentTypeFor(fileName: string): string {
  const extension = path.extname(fileName);
  // Pass the extension alone: mime-types would read a bare name such as "json" as an extension.
  if (extension === '') return FALLBACK_CONTENT_TYPE;
  return contentType(extension) || FALLBACK_CONTENT_TYPE;
}
