// Workspace's bootstrap list of Configuration Server Proxies (seed 003, InteractionWorkspace.exe
// .config): `login.nodes.preferred-site.<Env>` = "[CSP1Host:CSP1Port][CSP2Host:CSP2Port],Timeout=10".
// In ccsim the brackets name CS Proxy apps (`[csp-a-1][csp-a-2],Timeout=10`), in the order the
// desktop tries them; Timeout (seconds) is the delay applied after every proxy of the list was
// tried and failed, only once a first connection had succeeded.

/** The Timeout when the value gives none: the seed's example value (seconds). */
export const LOGIN_NODES_TIMEOUT_MS_DEFAULT = 10_000;

export interface LoginNodes {
  /** CS Proxy app ids in the order tried (empty: the site's CS Proxies, by id). */
  nodes: string[];
  timeoutMs: number;
}

export type LoginNodesParse =
  { ok: true; value: LoginNodes } | { ok: false; message: string; expected: string };

export const LOGIN_NODES_EXPECTED =
  'CS Proxy app ids in brackets, then an optional Timeout in seconds: "[csp-a-1][csp-a-2],Timeout=10"';

const NODE_RE = /^\[\s*([^\]\s]+)\s*\]/;
const TIMEOUT_RE = /^,\s*Timeout\s*=\s*(\d+(\.\d+)?)\s*$/i;

/** Parses a login.nodes value; an empty value means "the site's proxies, default Timeout". */
export function parseLoginNodes(text: string): LoginNodesParse {
  let rest = text.trim();
  const nodes: string[] = [];
  for (let i = 0; i < 64; i++) {
    const m = NODE_RE.exec(rest);
    if (m === null) break;
    if (nodes.includes(m[1]!)) {
      return {
        ok: false,
        message: `CS Proxy "${m[1]}" is listed twice`,
        expected: LOGIN_NODES_EXPECTED,
      };
    }
    nodes.push(m[1]!);
    rest = rest.slice(m[0].length).trimStart();
  }
  if (rest === '') return { ok: true, value: { nodes, timeoutMs: LOGIN_NODES_TIMEOUT_MS_DEFAULT } };
  if (rest.startsWith('Timeout') && nodes.length === 0) rest = `,${rest}`;
  const t = TIMEOUT_RE.exec(rest);
  if (t === null) {
    return { ok: false, message: 'not a login.nodes value', expected: LOGIN_NODES_EXPECTED };
  }
  return { ok: true, value: { nodes, timeoutMs: Math.round(Number(t[1]) * 1000) } };
}
