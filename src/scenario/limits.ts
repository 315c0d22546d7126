// Named bounds on user input. Inputs beyond them are refused with an InputIssue, never
// truncated: they protect memory and run time, not the model.

/** Agents over all groups of a topology. */
export const AGENTS_MAX = 100_000;
/** Shifts of one agent group. */
export const SHIFTS_MAX = 100;
/** Agent group entries in a topology. */
export const AGENT_GROUPS_MAX = 10_000;
/** Simulated length of a scenario: 10 years, ms. */
export const SCENARIO_DURATION_MS_MAX = 10 * 365 * 86_400_000;
/** Scripted faults in one scenario. */
export const FAULTS_MAX = 10_000;
/** Random-failure entries in one scenario. */
export const FAILURES_MAX = 1_000;
/** Expectation lines in one scenario. */
export const EXPECTATIONS_MAX = 1_000;
/** Replications of one scenario. */
export const REPLICATIONS_MAX = 100_000;
/** Sites in a topology. */
export const SITES_MAX = 100;
/** Hosts in a topology. */
export const HOSTS_MAX = 1_000;
/** Apps in a topology. */
export const APPS_MAX = 5_000;
/** CTI links per T-Server (cti-links). */
export const CTI_LINKS_MAX = 16;
/** Size of one input file, bytes. */
export const FILE_BYTES_MAX = 10 * 1024 * 1024;
/** YAML alias expansions per document (refuses "billion laughs" alias bombs). */
export const YAML_ALIASES_MAX = 100;
/** Length of a name or id, characters. */
export const ID_CHARS_MAX = 100;
/** Largest seed (seeds are non-negative safe integers). */
export const SEED_MAX = Number.MAX_SAFE_INTEGER;
/** Services (call types) of one scenario. */
export const SERVICES_MAX = 1_000;
/** Peak arrival rate, calls per hour (`calls-per-hour`, each `tserver-calls-per-hour`): 1000 a second. */
export const CALLS_PER_HOUR_MAX = 3_600_000;
/** Random failures expected in one replication (targets × duration / (mtbf + mttr), summed). */
export const FAILURE_EVENTS_MAX = 50_000;
/** Network latency (`lan-latency`, `wan-latency`), ms. */
export const LATENCY_MS_MAX = 10_000;
/** Input issues printed; the rest are counted. */
export const ISSUES_PRINTED_MAX = 50;
/** Input issues collected for one command; checking stops there (a file of 100 000 bad keys). */
export const ISSUES_MAX = 1_000;
