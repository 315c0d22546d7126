// Escaping for the HTML report: every name that comes from input (scenario, topology, ids,
// causes, file paths) passes through `esc` before it reaches markup; JSON embedded in a
// <script> element passes through `jsonForScript` so data can never close the element.

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or attribute value → HTML-safe text (safe inside double- or single-quoted attributes). */
export function esc(value: string | number): string {
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON for a `<script type="application/json">` element: `<`, `>` and `&` as \u escapes (so
 * `</script>` or `<!--` inside a string cannot end or confuse the element), and the two line
 * separators JavaScript parsers once rejected.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
