// Agent desktop (Workspace) business-continuity options; settable per agent group.
import {
  booleanOption,
  durationOption,
  numberOption,
  stringOption,
  type OptionSpec,
} from '../../spec/option-spec.js';

const g = { groupLevel: true };

export const DESKTOP_OPTIONS = [
  // doc: business continuity on/off.
  booleanOption(
    'disaster-recovery.enabled',
    false,
    'doc',
    'desktop business continuity (site switchover)',
    g,
  ),
  // ms; doc: telephony OFF this long → switch site; 0 = never on this signal.
  durationOption(
    'disaster-recovery.timeout',
    60_000,
    'doc',
    'telephony OFF this long before a site switchover; 0 = never',
    g,
  ),
  // ms; doc: after dr-force_logout, wait this long for EventDNBackInService; 0 = never switch.
  durationOption(
    'disaster-recovery.wait-for-sipphone-timeout',
    0,
    'doc',
    'wait for SIP phone re-registration before switching; 0 = never',
    g,
  ),
  // model assumption: return to the preferred site when it is back (its SIP Servers and a CS
  // Proxy: the return's login goes through one).
  booleanOption(
    'disaster-recovery.auto-restore',
    false,
    'model',
    'return to the preferred site once it is available (its SIP Server pair in service and a CS Proxy answering)',
    g,
  ),
  // doc: restore the last agent state after a switchover (only with no open interaction).
  booleanOption(
    'disaster-recovery.restore-agent-state',
    false,
    'doc',
    'restore the last agent state after switchover',
    g,
  ),
  // ms; doc: AIL reconnect retry delay (plus 0–2 s random).
  durationOption('warm-standby.retry-delay', 10_000, 'doc', 'desktop reconnect retry delay', g),
  // ms; model assumption: random spread added to each retry.
  durationOption(
    'warm-standby.retry-jitter',
    2_000,
    'model',
    'random 0..this added to each desktop retry',
    g,
  ),
  // ms; doc: SIP endpoint re-registration cycle (sipendpoint.proxies.proxyN.reg_timeout).
  durationOption(
    'sipendpoint.reg_timeout',
    3_600_000,
    'doc',
    'SIP endpoint re-registration cycle',
    g,
  ),
  // ms; model assumption: client layer restart plus login at the target site.
  durationOption(
    'desktop-relogin-time',
    5_000,
    'model',
    'desktop site switchover: restart client layer and log in',
    g,
  ),
  // ms; model assumption: an agent logged in NotReady (no restore-agent-state) sets Ready by hand.
  durationOption(
    'agent-ready-delay',
    10_000,
    'model',
    'time an agent takes to set Ready by hand after a DR re-login without restore-agent-state',
    g,
  ),
  // logins per second; model assumption: what one CS Proxy serves at once.
  numberOption('csproxy-login-rate', 50, 'model', 'logins per second one CS Proxy serves', {
    min: 0.001,
  }),
  // logins per second; model assumption: what one SIP Server accepts.
  numberOption(
    'sipserver-login-rate',
    100,
    'model',
    'agent logins per second one SIP Server accepts',
    { min: 0.001 },
  ),
  // seed 003: the CS Proxies a desktop tries at its preferred site, in order, and the Timeout
  // (s) after all failed; empty = the site's CS Proxies (cluster members, else by id), Timeout=10.
  stringOption(
    'login.nodes.preferred-site',
    '',
    'seed',
    'CS Proxies tried at the preferred site and the delay after all failed: "[csp-a-1][csp-a-2],Timeout=10" (empty: the site\'s proxies, Timeout=10)',
    g,
  ),
  // seed 003: the same for the peer site.
  stringOption(
    'login.nodes.peer-site',
    '',
    'seed',
    'CS Proxies tried at the peer site and the delay after all failed: "[csp-b],Timeout=10" (empty: the site\'s proxies, Timeout=10)',
    g,
  ),
  // model assumption: the agent's phone. Workspace SIP Endpoint / Genesys Softphone registers
  // when Workspace logs in and again every sipendpoint.reg_timeout; a hard phone re-registers on
  // its own timer (seed 003: reg_timeout applies to the Workspace endpoints only).
  stringOption(
    'phone-type',
    'sip-endpoint',
    'model',
    "the agents' phone: sip-endpoint (Workspace SIP Endpoint / Genesys Softphone) or hard-phone",
    { ...g, values: ['sip-endpoint', 'hard-phone'] },
  ),
  // model assumption: when a desktop's Stat Server / CS Proxy connection that moved to the other
  // site (per-server-type Business Continuity) comes back to the site it is logged in at. Seed 003
  // gives disaster-recovery.auto-restore to T-Server only; by default the connection stays where it
  // is until the next login or until that site's servers fail in turn.
  stringOption(
    'bc-server-return',
    'next-login',
    'model',
    "a Stat Server / CS Proxy connection moved to the other site comes back: next-login (at the next login, or when the other site's fail) or when-available (as soon as its own site's serve again)",
    { ...g, values: ['next-login', 'when-available'] },
  ),
  // ms; model assumption: a hard phone's own re-registration period (half a 3,600 s expiry).
  durationOption(
    'hard-phone.register-interval',
    1_800_000,
    'model',
    'a hard phone re-registers this often, on its own timer',
    { ...g, minMs: 1_000 },
  ),
] as const satisfies readonly OptionSpec[];
