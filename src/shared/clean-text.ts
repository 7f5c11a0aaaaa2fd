/** C0 control characters except tab, line feed and carriage return, and DEL. */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Bidirectional embedding, override and isolate characters, which can make text read otherwise than it is. */
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;

/**
 * Strips what no message needs before it is stored: a NUL byte (PostgreSQL refuses it, so the
 * message would be retried forever), other control characters, and bidi overrides.
 */
export function cleanText(text: string): string {
  return text.replace(CONTROLS, '').replace(BIDI, '');
}
