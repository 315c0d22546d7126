// Network defaults. Latencies are set in the topology's `network:` block, not as options.

import { durationOption, type OptionSpec } from '../../spec/option-spec.js';

/** One-way latency inside a site, ms (model assumption; topology `network.lan-latency`). */
export const LAN_LATENCY_MS_DEFAULT = 1;
/** One-way latency between sites, ms (model assumption; topology `network.wan-latency`). */
export const WAN_LATENCY_MS_DEFAULT = 30;

/**
 * A message lost on a degraded WAN (wan-degrade `loss`) is sent again after TCP's retransmission
 * timeout, doubling each time (RFC 6298); after this many losses in a row it never arrives.
 * Model assumption (Linux tcp_retries2).
 */
export const TCP_RETRIES_MAX = 15;

/** The retransmission timeout stops doubling here (Linux TCP_RTO_MAX, 120 s; RFC 6298: >= 60 s). */
export const TCP_RTO_MAX_MS = 120_000;

/**
 * A connection's opening SYN (and its SYN-ACK) is sent again at most this many times before the
 * connect gives up (Linux tcp_syn_retries, 6: about 127 s); the caller tries again later.
 */
export const TCP_SYN_RETRIES = 6;

export const NETWORK_OPTIONS = [
  // ms; model assumption: TCP's first retransmission timeout (RFC 6298 initial RTO 1 s).
  durationOption(
    'tcp-retransmit-timeout',
    1000,
    'model',
    'wan-degrade: a message lost on the WAN is sent again after this, doubling each time',
    { minMs: 1 },
  ),
] as const satisfies readonly OptionSpec[];
