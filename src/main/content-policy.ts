// What the app may load. The renderer's meta tag carries the same CSP; the shell sends it as a
// header too, and the e2e bridge serves it. No inline script, nothing remote.
export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";

/** file:// for the app, devtools:// for debugging, data: images; anything else (http, ws...) is refused. */
export function isLocalRequest(url: string): boolean {
  return url.startsWith('file://') || url.startsWith('devtools://') || url.startsWith('data:image/');
}
