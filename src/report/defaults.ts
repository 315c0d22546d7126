// Targets the report holds results against (highlighting only: no number depends on them).

/** Share of offered calls answered within service-level-threshold a run or an interval should reach: model assumption (the usual 80/20 contact-center target). */
export const SERVICE_LEVEL_TARGET = 0.8;
/** Share of offered calls abandoned above which a run or an interval is flagged: model assumption (the usual 5 % target). */
export const ABANDON_SHARE_TARGET = 0.05;
