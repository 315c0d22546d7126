// The licence rules of HA (DOMAIN §3): automatic switchover needs `licenses.ha` (SCS reads it);
// a hot-standby telephony pair needs `licenses.cti-ha` too, and without it neither server starts.

import type { AppType, Redundancy } from '../../spec/kinds.js';

/** Why a member of a pair of this type and redundancy cannot start (undefined: it can). */
export function missingLicence(
  type: AppType,
  redundancy: Redundancy | undefined,
  licenses: { readonly ctiHa: boolean },
): string | undefined {
  const telephony = type === 'sipserver' || type === 'tserver';
  return redundancy === 'hot' && telephony && !licenses.ctiHa ? 'no cti-ha licence' : undefined;
}
