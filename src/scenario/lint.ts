// Topology lint: valid but risky designs (single points of failure, pair members sharing a host
// or a site, ICONs sharing an IDB, DR settings that never switch). Warnings never fail a command.

import type { AppType } from '../spec/kinds.js';
import { HEARTBEAT_PERIOD_MIN_MGMT_MS, HEARTBEAT_PERIOD_MIN_MS } from '../models/lca/defaults.js';
import { Options } from '../models/options.js';
import type { OptionLayer } from '../spec/option-spec.js';
import { formatDuration } from './duration.js';
import { compareStrings, formatPath, type PathSegment } from './errors.js';
import { parseLoginNodes } from '../models/desktop/login-nodes.js';
import { TopologyIndex } from './topology.js';
import type { ScenarioSpec, TopologySpec } from '../spec/types.js';

export interface LintWarning {
  file: string;
  path: string;
  /** Stable kebab-case identifier of the rule, e.g. `pair-one-host`. */
  code: string;
  message: string;
}

/** App types that should run as HA pairs. */
export const PAIRED_TYPES: readonly AppType[] = [
  'scs',
  'confserv',
  'sipserver',
  'tserver',
  'statserver',
  'urs',
];
/** `sipendpoint.reg_timeout` above this makes the return to the preferred site slow, ms (seed 003: 30–60 s). */
export const REG_TIMEOUT_RECOMMENDED_MS_MAX = 60_000;

const TELEPHONY: readonly AppType[] = ['sipserver', 'tserver'];

export function formatWarning(w: LintWarning): string {
  return `${w.file}: ${w.path === '' ? '' : `${w.path}: `}${w.message} [${w.code}]`;
}

function sortWarnings(ws: LintWarning[]): LintWarning[] {
  return ws.sort(
    (a, b) =>
      compareStrings(a.file, b.file) ||
      compareStrings(a.path, b.path) ||
      compareStrings(a.code, b.code) ||
      compareStrings(a.message, b.message),
  );
}

/**
 * Lints a topology. `scenario` (optional) adds a scenario's option overrides between the
 * agent-group and topology levels, and names the scenario file where they come from.
 */
function lint(t: TopologySpec, scenario?: { file: string; options: OptionLayer }): LintWarning[] {
  const out: LintWarning[] = [];
  const idx = new TopologyIndex(t);
  const add = (
    path: readonly PathSegment[],
    code: string,
    message: string,
    file = t.file,
  ): void => {
    out.push({ file, path: formatPath(path), code, message });
  };
  const layers: OptionLayer[] =
    scenario === undefined
      ? [t.tenantOptions, t.options]
      : [t.tenantOptions, scenario.options, t.options];
  const base = new Options(layers);

  /** Where an option's effective value for a group comes from, for the warning's path. */
  const origin = (name: string, groupIndex?: number): { file: string; path: PathSegment[] } => {
    const g = groupIndex === undefined ? undefined : t.agentGroups[groupIndex];
    if (g?.options.has(name) === true)
      return { file: t.file, path: ['agents', groupIndex!, 'options', name] };
    if (t.tenantOptions.has(name)) return { file: t.file, path: ['tenant-options', name] };
    if (scenario?.options.has(name) === true)
      return { file: scenario.file, path: ['options', name] };
    if (t.options.has(name)) return { file: t.file, path: ['options', name] };
    return { file: t.file, path: groupIndex === undefined ? [] : ['agents', groupIndex] };
  };

  // --- licences
  if (!t.licenses.ha) {
    add(
      ['licenses', 'ha'],
      'no-ha-licence',
      'automatic switchover is off (no HA licence): failed apps are only restarted',
    );
  }
  for (const p of t.pairs) {
    if (p.redundancy === 'hot' && TELEPHONY.includes(p.type) && !t.licenses.ctiHa) {
      add(
        ['pairs', p.id, 'redundancy'],
        'hot-without-cti-ha',
        `hot standby ${p.type} pair without the cti-ha licence: neither server starts`,
      );
    }
  }

  // --- pairs: shared host, one site, CTI links
  const sitesWithHosts = t.sites.filter((s) => s.hosts.length > 0).map((s) => s.id);
  /** Sites where some pair of each type has its primary. */
  const typeSites = new Map<AppType, Set<string | undefined>>();
  for (const p of t.pairs) {
    const sites = typeSites.get(p.type) ?? new Set<string | undefined>();
    sites.add(idx.siteOfApp(p.primary));
    typeSites.set(p.type, sites);
  }
  for (const p of t.pairs) {
    const a = idx.apps.get(p.primary)!;
    const b = idx.apps.get(p.backup)!;
    if (a.host === b.host) {
      add(
        ['pairs', p.id],
        'pair-one-host',
        `primary and backup run on one host ("${a.host}"): one host failure stops the pair`,
      );
      continue;
    }
    const siteA = idx.hostSite.get(a.host);
    const siteB = idx.hostSite.get(b.host);
    if (siteA !== undefined && siteA === siteB && sitesWithHosts.length > 1) {
      // Site-local pairs are by design when every other site has its own pair of the type.
      const sites = typeSites.get(p.type);
      const covered = p.type !== 'scs' && sitesWithHosts.every((s) => sites?.has(s) === true);
      if (!covered) {
        add(
          ['pairs', p.id],
          p.type === 'scs' ? 'scs-one-site' : 'pair-one-site',
          `both members at site "${siteA}": a failure of that site stops the ${p.type} pair`,
        );
      }
    }
    if (p.type === 'tserver' && p.ctiLinks === 1) {
      add(
        ['pairs', p.id],
        'single-cti-link',
        'one CTI link per T-Server: losing it forces a switchover',
      );
    }
  }

  // --- apps of a pair type without a backup; SCS; CS Proxy per site
  for (const app of t.apps) {
    if (PAIRED_TYPES.includes(app.type) && !idx.pairOfApp.has(app.id)) {
      add(
        ['apps', app.id],
        'no-backup',
        `${app.type} app in no pair: nothing takes over when it fails`,
      );
    }
  }
  const csproxySites = new Set(
    t.apps.filter((a) => a.type === 'csproxy').map((a) => idx.hostSite.get(a.host)),
  );
  for (const s of t.sites) {
    if (s.hosts.length === 0) continue;
    if (!csproxySites.has(s.id))
      add(
        ['sites', s.id],
        'site-no-csproxy',
        `site "${s.id}" has no CS Proxy: its desktops read configuration across sites`,
      );
  }
  const ursSites = new Set(
    t.pairs.filter((p) => p.type === 'urs').map((p) => idx.siteOfApp(p.primary)),
  );
  for (const s of t.sites) {
    const agents = t.agentGroups.some((g) => g.preferredSite === s.id && g.telephony === undefined);
    if (agents && !ursSites.has(s.id))
      add(
        ['sites', s.id],
        'site-no-routing-pair',
        `site "${s.id}" has agents and no routing (urs) pair: its calls take the default route (its own agents only) whatever routing.policy says`,
      );
  }

  // --- ICONs: shared host or IDB, a source with a single ICON
  const iconsBySource = new Map<string, string[]>();
  const iconByIdb = new Map<string, string>();
  for (const app of t.apps) {
    if (app.type !== 'icon') continue;
    if (app.source !== undefined)
      iconsBySource.set(app.source, [...(iconsBySource.get(app.source) ?? []), app.id]);
    if (app.idb !== undefined) {
      const other = iconByIdb.get(app.idb);
      if (other !== undefined) {
        add(
          ['apps', app.id, 'idb'],
          'icon-shared-idb',
          `writes IDB "${app.idb}" like "${other}": one database outage loses both copies`,
        );
      } else iconByIdb.set(app.idb, app.id);
    }
  }
  for (const [source, icons] of [...iconsBySource.entries()].sort((x, y) =>
    compareStrings(x[0], y[0]),
  )) {
    if (icons.length === 1) {
      add(
        ['apps', icons[0]!, 'source'],
        'icon-single',
        `"${source}" has one ICON: while it is down, its events are lost`,
      );
      continue;
    }
    const hostOf = new Map<string, string>();
    for (const id of icons) {
      const host = idx.apps.get(id)!.host;
      const other = hostOf.get(host);
      if (other !== undefined) {
        add(
          ['apps', id, 'host'],
          'icon-shared-host',
          `ICONs "${other}" and "${id}" of "${source}" share host "${host}": one host failure loses both`,
        );
      } else hostOf.set(host, id);
    }
  }

  // --- clusters (seed 003): a cluster is redundant only with two members on two hosts
  for (const c of t.clusters) {
    if (c.members.length === 1) {
      add(
        ['clusters', c.id, 'members'],
        'cluster-single-member',
        `cluster "${c.id}" has one member: when "${c.members[0]}" stops, site ${c.site}'s desktops connect to the peer site's ${c.type === 'csproxy' ? 'CS Proxies' : 'Stat Servers'}`,
      );
    }
    const hosts = new Set(c.members.map((m) => idx.apps.get(m)?.host));
    if (c.members.length > 1 && hosts.size === 1) {
      add(
        ['clusters', c.id, 'members'],
        'cluster-shared-host',
        `every member of cluster "${c.id}" runs on host "${[...hosts][0]}": one host failure stops the cluster`,
      );
    }
    const pairAtSite = t.pairs.find(
      (p) => p.type === c.type && idx.siteOfApp(p.primary) === c.site,
    );
    if (pairAtSite !== undefined) {
      add(
        ['clusters', c.id],
        'cluster-and-pair',
        `site ${c.site} has both cluster "${c.id}" and ${c.type} pair "${pairAtSite.id}": desktops connect to the cluster`,
      );
    }
  }

  // --- options: heartbeat for management apps
  const hb = base.ms('heartbeat-period');
  if (hb !== 0 && hb >= HEARTBEAT_PERIOD_MIN_MS && hb < HEARTBEAT_PERIOD_MIN_MGMT_MS) {
    const o = origin('heartbeat-period');
    add(
      o.path,
      'heartbeat-below-mgmt-min',
      `heartbeat-period ${formatDuration(hb)} is below the ${formatDuration(HEARTBEAT_PERIOD_MIN_MGMT_MS)} minimum for confserv and scs: their LCA checks them every ${formatDuration(HEARTBEAT_PERIOD_MIN_MGMT_MS)}`,
      o.file,
    );
  }

  // --- agent groups: DR
  t.agentGroups.forEach((g, i) => {
    const opts = base.withLayer(g.options);
    const inShifts = g.shifts?.reduce((n, s) => n + s.count, 0) ?? g.count;
    if (inShifts < g.count) {
      add(
        ['agents', i, 'shifts'],
        'agents-in-no-shift',
        `${g.count - inShifts} of the ${g.count} agents of group "${g.group}" work no shift: they never log in`,
      );
    }
    // login.nodes name the CS Proxies of the preferred and the peer site (seed 003).
    for (const [name, site] of [
      ['login.nodes.preferred-site', g.preferredSite],
      ['login.nodes.peer-site', g.peerSite],
    ] as const) {
      const r = parseLoginNodes(opts.str(name));
      if (!r.ok || site === undefined) continue;
      const away = r.value.nodes.filter((n) => idx.siteOfApp(n) !== site);
      if (away.length === 0) continue;
      const o = origin(name, i);
      add(
        o.path.length === 0 ? ['agents', i] : o.path,
        'login-nodes-wrong-site',
        `${name} of group "${g.group}" lists ${away.map((n) => `"${n}"`).join(', ')}, not at site ${site}`,
        o.file,
      );
    }
    const dr = opts.bool('disaster-recovery.enabled');
    if (g.telephony !== undefined) {
      if (g.peerSite !== undefined) {
        add(
          ['agents', i, 'peer-site'],
          'peer-site-ignored',
          `group "${g.group}" works through T-Server pair "${g.telephony}": it never switches site`,
        );
      }
      return;
    }
    if (g.peerSite !== undefined && g.peerSite === g.preferredSite) {
      add(
        ['agents', i, 'peer-site'],
        'dr-peer-is-preferred',
        `peer-site is the preferred site "${g.preferredSite}": a site failure leaves nowhere to go`,
      );
    } else if (g.peerSite === undefined && dr && sitesWithHosts.length > 1) {
      add(
        ['agents', i],
        'dr-no-peer-site',
        `group "${g.group}" has no peer-site: its agents cannot switch site`,
      );
    }
    if (g.peerSite !== undefined && !dr) {
      const o = origin('disaster-recovery.enabled', i);
      add(
        o.path.length === 0 ? ['agents', i] : o.path,
        'dr-disabled',
        `disaster-recovery.enabled is false for group "${g.group}": its peer-site is never used`,
        o.file,
      );
    }
    if (!dr) return;
    if (opts.ms('disaster-recovery.timeout') === 0) {
      const o = origin('disaster-recovery.timeout', i);
      add(
        o.path,
        'dr-timeout-zero',
        `disaster-recovery.timeout is 0 for group "${g.group}": agents never switch site on telephony loss`,
        o.file,
      );
    }
    const reg = opts.ms('sipendpoint.reg_timeout');
    if (opts.bool('disaster-recovery.auto-restore') && reg > REG_TIMEOUT_RECOMMENDED_MS_MAX) {
      const o = origin('sipendpoint.reg_timeout', i);
      add(
        o.path.length === 0 ? ['agents', i] : o.path,
        'slow-restore',
        `sipendpoint.reg_timeout ${formatDuration(reg)} with auto-restore: group "${g.group}" may wait that long to return (recommended 30s–60s)`,
        o.file,
      );
    }
  });

  return sortWarnings(out);
}

/** Lints a topology (its own options). Sorted by file, path, code, message. */
export function lintTopology(t: TopologySpec): LintWarning[] {
  return lint(t);
}

/** Lints a scenario: its topology with the scenario's option overrides, plus fault timing. */
export function lintScenario(s: ScenarioSpec): LintWarning[] {
  const out = lint(s.topology, { file: s.file, options: s.options });
  if (s.routing?.overflowAfterGiven && s.routing.policy !== 'local-first') {
    out.push({
      file: s.file,
      path: formatPath(['routing', 'overflow-after']),
      code: 'overflow-after-unused',
      message: `overflow-after is read by routing.policy local-first only; the policy is ${s.routing.policy}${s.routing.policy === 'local-only' ? ' (the default)' : ''}`,
    });
  }
  for (const f of s.faults) {
    if (f.durationMs !== undefined && f.atMs + f.durationMs >= s.durationMs) {
      out.push({
        file: s.file,
        path: formatPath(['faults', f.index, 'duration']),
        code: 'undo-after-end',
        message: `the fault is undone at ${formatDuration(f.atMs + f.durationMs)}, at or after the end (${formatDuration(s.durationMs)})`,
      });
    }
    if (f.kind === 'wan-degrade') {
      // A round trip at or above addp-timeout: no ADDP poll across the WAN is answered in time.
      const addp = new Options([s.topology.tenantOptions, s.options, s.topology.options]).ms(
        'addp-timeout',
      );
      const rttMs = 2 * (s.topology.network.wanLatencyMs + f.latencyMs);
      if (addp > 0 && rttMs >= addp) {
        out.push({
          file: s.file,
          path: formatPath(['faults', f.index, 'latency']),
          code: 'wan-degrade-beyond-addp',
          message: `a WAN round trip of ${formatDuration(rttMs)} is not below addp-timeout ${formatDuration(addp)}: ADDP declares every connection across the WAN lost, as for a cut (largest latency that keeps them: ${formatDuration(Math.max(0, Math.ceil(addp / 2) - 1 - s.topology.network.wanLatencyMs))})`,
        });
      }
    }
  }
  return sortWarnings(out);
}
