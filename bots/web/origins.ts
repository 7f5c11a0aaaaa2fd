/** Which web pages may open the chat: its own address, and the origins in WEBCHAT_ALLOWED_ORIGINS. */
export class OriginPolicy {
  private readonly allowed: Set<string>;

  constructor(allowedOrigins: readonly string[], publicUrl?: string) {
    const own = publicUrl ? [new URL(publicUrl).origin] : [];
    this.allowed = new Set([...allowedOrigins.map(normalizeOrigin), ...own]);
  }

  /**
   * True when `origin` (a request's Origin header) is this service itself (the same host as the
   * request's Host header) or an allowed origin. A missing or malformed origin is refused.
   */
  permits(origin: string | undefined, host: string | undefined): boolean {
    if (!origin) return false;
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      return false;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
    if (host && parsed.host === host.toLowerCase()) return true;
    return this.allowed.has(parsed.origin);
  }

  /** The CSP frame-ancestors list: this service and the allowed sites may show the chat in a frame. */
  frameAncestors(): string {
    return ["'self'", ...this.allowed].join(' ');
  }
}

/** 'https://www.Rijswijk.nl/' → 'https://www.rijswijk.nl'; throws on anything but an http(s) origin. */
export function normalizeOrigin(value: string): string {
  const url = new URL(value.trim());
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`not an http(s) origin: ${value}`);
  if (url.pathname !== '/' || url.search || url.hash) throw new Error(`an origin has no path: ${value}`);
  return url.origin;
}
