// Compiled by test/types/ids.test.ts (not run): branded ids (src/spec/ids.ts) are kept apart by
// the compiler; a plain string becomes one only through its constructor.
import type { Network } from '../../src/models/network/network.js';
import { siteId } from '../../src/spec/ids.js';
import type { SiteId } from '../../src/spec/types.js';

export function sites(net: Network, label: string): string[] {
  const a: SiteId = siteId('A');
  const b = siteId('B');
  net.degradation(a, b);
  // @ts-expect-error a plain string is no SiteId
  net.degradation('A', b);
  // @ts-expect-error nor is a string variable
  const c: SiteId = label;
  // A SiteId is still a string wherever one is expected (messages, CSV cells).
  const text: string = a;
  return [text, c];
}
