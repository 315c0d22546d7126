// Closed vocabularies shared by input and models: app types, redundancy, fault kinds.

export const APP_TYPES = [
  'scs',
  'confserv',
  'csproxy',
  'sipserver',
  'tserver',
  'statserver',
  'icon',
  'urs',
] as const;
export type AppType = (typeof APP_TYPES)[number];

/**
 * ICON roles (the vendor's `role` option: what data an ICON stores). ccsim models the telephony
 * roles (gcc calls, gud attached data, gls agent states: all from the telephony source) and cfg
 * (the Configuration Server as a data source). `all`, the vendor default, is every role.
 */
export const ICON_ROLES = ['all', 'cfg', 'gcc', 'gls', 'gud'] as const;
export type IconRole = (typeof ICON_ROLES)[number];

export const REDUNDANCY = ['warm', 'hot'] as const;
export type Redundancy = (typeof REDUNDANCY)[number];

export const FAULT_KINDS = [
  'host-crash',
  'host-restore',
  'site-crash',
  'site-restore',
  'process-crash',
  'process-hang',
  'process-start',
  'lca-crash',
  'lca-restore',
  'cti-link-down',
  'cti-link-up',
  'switch-link-down',
  'switch-link-up',
  'graceful-shutdown',
  'network-partition',
  'network-heal',
  'idb-down',
  'idb-up',
  'confdb-down',
  'confdb-up',
  'gateway-down',
  'gateway-up',
  'wan-degrade',
  'wan-restore',
  'phone-unregister',
  'manual-switchover',
  'agent-logout',
] as const;

/** Why agents log out on purpose (agent-logout `reason`; the DN listener's reason). */
export const AGENT_LOGOUT_REASONS = ['manual', 'supervisor'] as const;
export type AgentLogoutReason = (typeof AGENT_LOGOUT_REASONS)[number];
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * Fault kinds whose model is built. The loader refuses the others at validation with a clear
 * message (never silently ignored). Every kind of FAULT_KINDS is modelled now; a new kind added
 * there before its model exists must be left out of this set.
 */
export const SUPPORTED_FAULT_KINDS: ReadonlySet<FaultKind> = new Set<FaultKind>(FAULT_KINDS);

/** Fault kinds that `failures:` (random failures) may use, with the kind that undoes each. */
export const FAILURE_RESTORE: Partial<Record<FaultKind, FaultKind>> = {
  'host-crash': 'host-restore',
  'process-crash': 'process-start',
  'process-hang': 'process-start',
  'lca-crash': 'lca-restore',
  'site-crash': 'site-restore',
  'cti-link-down': 'cti-link-up',
  'idb-down': 'idb-up',
  'confdb-down': 'confdb-up',
  'gateway-down': 'gateway-up',
};
