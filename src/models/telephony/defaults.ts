// SIP Server / T-Server call-handling options.
import {
  durationOption,
  integerOption,
  stringOption,
  type OptionSpec,
} from '../../spec/option-spec.js';

export const TELEPHONY_OPTIONS = [
  // ms; model assumption: hot standby replication lag; calls changed this recently are degraded.
  durationOption(
    'ha-sync-lag',
    100,
    'model',
    'hot standby: calls created or changed this close to the failure lose their data',
  ),
  // ms; model assumption: SIP transaction timeout (Timer B, 64 × T1).
  durationOption(
    'gateway-detect-time',
    32_000,
    'model',
    'time a gateway keeps sending calls to a dead site',
  ),
  // doc: SIP response code to new calls during graceful shutdown.
  integerOption(
    'shutdown-sip-reject-code',
    603,
    'doc',
    'SIP code refusing new calls during graceful shutdown',
    { min: 300, max: 699 },
  ),
  // doc: when set, new calls during graceful shutdown are redirected (302) to this trunk.
  stringOption(
    'dr-peer-trunk',
    '',
    'doc',
    'trunk to the peer site for 302 redirects during graceful shutdown',
  ),
  // ms; model assumption: drain cap of a graceful shutdown.
  durationOption(
    'graceful-shutdown-max',
    90 * 60_000,
    'model',
    'graceful shutdown: remaining calls are dropped after this',
  ),
] as const satisfies readonly OptionSpec[];

export const CALL_OPTIONS = [
  // ms; doc (SIP Server router-timeout): a call waits this long at the routing point for a router.
  durationOption(
    'router-timeout',
    10_000,
    'doc',
    'a call waits this long at the routing point while no router serves, then takes the default route',
  ),
  // ms; model assumption: alerting before the agent answers (0 = answered at once).
  durationOption('ring-time', 0, 'model', 'alerting time between routing a call and its answer'),
  // ms; model assumption: a gateway pings a site it marked down this often (SIP OPTIONS).
  durationOption(
    'gateway-options-interval',
    30_000,
    'model',
    'a gateway probes a site it marked down this often',
    { minMs: 1 },
  ),
  // ms; model assumption: the carrier's INVITE timeout toward a site's gateways (SIP Timer B).
  durationOption(
    'carrier-detect-time',
    32_000,
    'model',
    'time the carrier keeps offering calls to a site whose gateways are down (gateway-down)',
  ),
  // ms; model assumption: the carrier pings a site's trunk it marked down this often (SIP OPTIONS).
  durationOption(
    'carrier-options-interval',
    30_000,
    'model',
    "the carrier probes a site's gateways it marked down this often",
    { minMs: 1 },
  ),
  // ms; model assumption: SIP timer T1 (RFC 3261 default) for INVITEs between the sites.
  durationOption(
    'sip-t1',
    500,
    'model',
    'an INVITE to the other site lost on a degraded WAN is sent again after this, doubling; given up after 64 × sip-t1',
    { minMs: 1 },
  ),
  // ms; doc: length of one reporting interval (intervals.csv).
  durationOption('report-interval', 900_000, 'model', 'length of one intervals.csv row', {
    minMs: 60_000,
  }),
] as const satisfies readonly OptionSpec[];
