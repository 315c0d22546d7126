// Network defaults. Latencies are set in the topology's `network:` block, not as options.

/** One-way latency inside a site, ms (model assumption; topology `network.lan-latency`). */
export const LAN_LATENCY_MS_DEFAULT = 1;
/** One-way latency between sites, ms (model assumption; topology `network.wan-latency`). */
export const WAN_LATENCY_MS_DEFAULT = 30;
