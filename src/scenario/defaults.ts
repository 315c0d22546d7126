// Defaults of scenario-file keys (not Genesys options: those live in each model's defaults.ts).

/** Seed when a scenario sets none. */
export const SEED_DEFAULT = 1;
/** Replications when a scenario sets none. */
export const REPLICATIONS_DEFAULT = 1;
/** ms; traffic.wrap-up when omitted: agents are Ready right after a call. */
export const WRAP_UP_MS_DEFAULT = 0;
/** ms; traffic.service-level-threshold when omitted (the common 80/20 target). */
export const SERVICE_LEVEL_THRESHOLD_MS_DEFAULT = 20_000;
/** traffic.site-split must sum to 1 within this. */
export const SITE_SPLIT_SUM_TOLERANCE = 1e-6;
/** ms; model assumption: routing.overflow-after when omitted (local-first waits this long at the entry site). */
export const OVERFLOW_AFTER_MS_DEFAULT = 10_000;
/** ms; warmup when omitted: every call counts. */
export const WARMUP_MS_DEFAULT = 0;
