// Validates a parsed topology document (SPEC §1.1): shape, then cross-references between sites,
// hosts, apps, pairs and agent groups. Reports every problem; returns the spec only when none.

import type { AppType } from '../spec/kinds.js';
import { LAN_LATENCY_MS_DEFAULT, WAN_LATENCY_MS_DEFAULT } from '../models/network/defaults.js';
import type { OptionLayer } from '../spec/option-spec.js';
import {
  compareStrings,
  describeValue,
  oneOf,
  withArticle,
  type IssueSink,
  type PathSegment,
} from './errors.js';
import { AGENT_GROUPS_MAX, AGENTS_MAX, APPS_MAX, HOSTS_MAX, SITES_MAX } from './limits.js';
import {
  AgentGroupSchema,
  AppSchema,
  ClusterSchema,
  KEBAB_ID_EXPECTED,
  KEBAB_ID_RE,
  LicensesSchema,
  NAME_RE,
  NetworkSchema,
  PairSchema,
  SITE_ID_EXPECTED,
  SITE_ID_RE,
  SiteSchema,
  TopologyFileSchema,
  checkId,
  checkKeys,
  listItems,
  mapEntries,
  nameSchema,
  optionsSchema,
  parseWith,
} from './schema.js';
import { agentIndex, agentName } from '../spec/agents.js';
import { DAY_MS } from '../spec/shifts.js';
import { formatDuration } from './duration.js';
import { parseLoginNodes } from '../models/desktop/login-nodes.js';
import { LOGIN_NODES_OPTIONS } from './option-values.js';
import type {
  AgentGroupSpec,
  AppSpec,
  ClusterSpec,
  HostSpec,
  PairSpec,
  PersonSpec,
  ShiftSpec,
  HostId,
  SiteId,
  TopologySpec,
} from '../spec/types.js';
import { appId, hostId, pairId, siteId } from '../spec/ids.js';

/** App types Workspace connects to as a cluster (seed 003). */
export const CLUSTER_TYPES: readonly AppType[] = ['csproxy', 'statserver'];

/** App types whose pairs carry telephony (agents and ICONs attach to them). */
export const TELEPHONY_TYPES: readonly AppType[] = ['sipserver', 'tserver'];

/** A name derived from a file name when the file sets none (`two-site-hot.yaml` → `two-site-hot`). */
export function defaultName(file: string): string {
  // path.basename(file, path.extname(file)), without node:path (the report page validates too).
  const last = file.replace(/\/+$/, '').split('/').pop() ?? '';
  const dot = last.lastIndexOf('.');
  const base = dot > 0 ? last.slice(0, dot) : last;
  const cleaned = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return NAME_RE.test(cleaned) ? cleaned : 'unnamed';
}

/**
 * login.nodes values name CS Proxy apps: each one must be a csproxy app of the topology (the
 * format was checked with the option). `path` is the options map's path.
 */
export function checkLoginNodesRefs(
  layer: OptionLayer,
  path: readonly PathSegment[],
  apps: ReadonlyMap<string, AppSpec>,
  sink: IssueSink,
): void {
  for (const name of LOGIN_NODES_OPTIONS) {
    const v = layer.get(name);
    if (typeof v !== 'string') continue;
    const r = parseLoginNodes(v);
    if (!r.ok) continue;
    const proxies = [...apps.values()].filter((a) => a.type === 'csproxy').map((a) => a.id);
    for (const node of r.value.nodes) {
      const app = apps.get(node);
      if (app?.type === 'csproxy') continue;
      if (app === undefined) sink.unknown([...path, name], 'CS Proxy', node, proxies);
      else {
        sink.add([...path, name], `"${node}" is ${withArticle(`${app.type} app`)}`, {
          expected: `CS Proxy apps (${oneOf(proxies).replace(/^one of: /, '')})`,
        });
      }
    }
  }
}

/** Reports an id problem found by checkId. */
function addIdFail(sink: IssueSink, path: PathSegment[], f: ReturnType<typeof checkId>): void {
  if (f === undefined) return;
  const extra: { expected?: string; found?: string; hint?: string } = {};
  if (f.expected !== undefined) extra.expected = f.expected;
  if (f.found !== undefined) extra.found = f.found;
  if (f.hint !== undefined) extra.hint = f.hint;
  sink.add(path, f.message, extra);
}

/** The site of the host a pair's primary runs on: the site the pair serves. */
function pairSite(
  pair: PairSpec,
  apps: ReadonlyMap<string, AppSpec>,
  hostSite: ReadonlyMap<string, string>,
): string | undefined {
  const app = apps.get(pair.primary);
  return app === undefined ? undefined : hostSite.get(app.host);
}

/**
 * A group's shifts (SPEC §5.1): each a window of the day (start in [0, 24 h), end in (0, 24 h],
 * not equal: a shift past midnight ends before it starts); their agents add up to at most the
 * group's count. Undefined when one is wrong (each problem is reported).
 */
function checkShifts(
  raw: readonly { start: number; end: number; count?: number | undefined }[],
  groupCount: number,
  path: PathSegment[],
  sink: IssueSink,
): ShiftSpec[] | undefined {
  const start = sink.count;
  const shifts: ShiftSpec[] = [];
  let total = 0;
  raw.forEach((r, k) => {
    if (r.start >= DAY_MS) {
      sink.add([...path, k, 'start'], 'a shift starts within the day', {
        expected: 'a time of day from 0s to 23h59m59s',
        found: formatDuration(r.start),
        hint: 'shifts repeat every day; a shift that ends the next morning has end before start',
      });
    }
    if (r.end === 0) {
      sink.add([...path, k, 'end'], 'a shift ends within the day', {
        expected: 'a time of day from 1ms to 24h (midnight is 24h)',
        found: '0s',
      });
    } else if (r.end === r.start || r.end === r.start + DAY_MS) {
      sink.add([...path, k, 'end'], 'the shift ends when it starts', {
        expected: `an end other than ${formatDuration(r.start)}`,
        found: formatDuration(r.end),
        hint: 'agents working around the clock need no shifts',
      });
    }
    const count = r.count ?? groupCount;
    total += count;
    shifts.push({ startMs: r.start, endMs: r.end, count });
  });
  if (total > groupCount) {
    sink.add(path, 'the shifts have more agents than the group', {
      expected: `at most the group's count, ${groupCount}, in all shifts (each agent works one shift)`,
      found: `${total} (${shifts.map((x) => x.count).join(' + ')})`,
      hint: raw.some((r) => r.count === undefined)
        ? "a shift without count takes the group's count"
        : "raise the group's count or lower a shift's",
    });
  }
  return sink.count === start ? shifts : undefined;
}

export function validateTopology(
  doc: { file: string; digest: string; raw: Record<string, unknown> },
  sink: IssueSink,
): TopologySpec | undefined {
  const start = sink.count;
  const raw = doc.raw;
  checkKeys(raw, TopologyFileSchema, [], sink);

  const name =
    raw['name'] === undefined
      ? defaultName(doc.file)
      : parseWith(nameSchema, raw['name'], ['name'], sink);

  // Omitted licences are granted: a topology that does not mention licensing is modelled as
  // fully licensed (HA and CTI-HA), so only a deliberate `ha: false` removes switchover.
  const lic =
    raw['licenses'] === undefined
      ? {}
      : parseWith(LicensesSchema, raw['licenses'], ['licenses'], sink);
  const licenses = { ha: lic?.ha ?? true, ctiHa: lic?.['cti-ha'] ?? true };

  const net =
    raw['network'] === undefined ? {} : parseWith(NetworkSchema, raw['network'], ['network'], sink);
  const network = {
    lanLatencyMs: net?.['lan-latency'] ?? LAN_LATENCY_MS_DEFAULT,
    wanLatencyMs: net?.['wan-latency'] ?? WAN_LATENCY_MS_DEFAULT,
  };

  // --- sites and hosts
  const sites: { id: SiteId; hosts: HostId[] }[] = [];
  const hostSite = new Map<string, SiteId>();
  let sitesComplete = true;
  if (raw['sites'] === undefined) {
    sink.add(['sites'], 'missing required key "sites"', {
      expected: 'a map of site id to { hosts: [...] }',
    });
    sitesComplete = false;
  }
  const siteEntries = mapEntries(raw['sites'], ['sites'], sink);
  if (siteEntries === undefined) sitesComplete = false;
  else if (siteEntries.length === 0)
    sink.add(['sites'], 'no sites', { expected: 'at least one site' });
  else if (siteEntries.length > SITES_MAX) {
    sink.add(['sites'], 'too many sites', {
      expected: `at most ${SITES_MAX}`,
      found: String(siteEntries.length),
    });
  }
  for (const [id, v] of siteEntries ?? []) {
    const idFail = checkId(id, SITE_ID_RE, SITE_ID_EXPECTED);
    if (idFail !== undefined) {
      addIdFail(sink, ['sites', id], idFail);
      sitesComplete = false;
      continue;
    }
    const s = parseWith(SiteSchema, v, ['sites', id], sink);
    if (s === undefined) {
      sitesComplete = false;
      continue;
    }
    const site = siteId(id);
    const hosts: HostId[] = [];
    s.hosts.forEach((h, i) => {
      const other = hostSite.get(h);
      if (other === id) sink.add(['sites', id, 'hosts', i], `host "${h}" is listed twice`);
      else if (other !== undefined) {
        sink.add(['sites', id, 'hosts', i], `host "${h}" is already in site "${other}"`, {
          hint: 'every host belongs to exactly one site',
        });
      } else {
        hostSite.set(h, site);
        hosts.push(hostId(h));
      }
    });
    sites.push({ id: site, hosts: hosts.sort(compareStrings) });
  }
  if (hostSite.size > HOSTS_MAX) {
    sink.add(['sites'], 'too many hosts', {
      expected: `at most ${HOSTS_MAX}`,
      found: String(hostSite.size),
    });
  }
  const siteIds = new Set<string>(sites.map((s) => s.id));

  // --- apps
  const apps = new Map<string, AppSpec>();
  const appsBroken = new Set<string>();
  let appsComplete = true;
  if (raw['apps'] === undefined) {
    sink.add(['apps'], 'missing required key "apps"', {
      expected: 'a map of app id to { type, host }',
    });
  }
  const appEntries = mapEntries(raw['apps'], ['apps'], sink);
  if (appEntries === undefined) appsComplete = false;
  else if (appEntries.length > APPS_MAX) {
    sink.add(['apps'], 'too many apps', {
      expected: `at most ${APPS_MAX}`,
      found: String(appEntries.length),
    });
  }
  for (const [id, v] of appEntries ?? []) {
    const idFail = checkId(id, KEBAB_ID_RE, KEBAB_ID_EXPECTED);
    if (idFail !== undefined) addIdFail(sink, ['apps', id], idFail);
    const a = parseWith(AppSchema, v, ['apps', id], sink);
    if (a === undefined || idFail !== undefined) {
      appsBroken.add(id);
      continue;
    }
    if (!hostSite.has(a.host) && sitesComplete)
      sink.unknown(['apps', id, 'host'], 'host', a.host, hostSite.keys());
    const app: AppSpec = { id: appId(id), type: a.type, host: hostId(a.host) };
    if (a.type === 'icon') {
      if (a.source === undefined) {
        sink.add(['apps', id, 'source'], 'an icon app needs "source"', {
          expected: 'the telephony pair it records, e.g. sip-a',
        });
      } else app.source = pairId(a.source);
      if (a.idb === undefined) {
        sink.add(['apps', id, 'idb'], 'an icon app needs "idb"', {
          expected: 'the id of the IDB it writes, e.g. idb-a-1',
        });
      } else app.idb = a.idb;
      if (a.role !== undefined) app.roles = a.role;
    } else {
      for (const key of ['source', 'idb', 'role'] as const) {
        if (a[key] !== undefined) {
          sink.add(['apps', id, key], `"${key}" is only for icon apps`, {
            found: withArticle(`${a.type} app`),
          });
        }
      }
    }
    apps.set(id, app);
  }

  // --- pairs
  const pairs = new Map<string, PairSpec>();
  const pairsBroken = new Set<string>();
  const appPair = new Map<string, string>();
  const pairEntries = mapEntries(raw['pairs'], ['pairs'], sink);
  const pairsComplete = raw['pairs'] === undefined || pairEntries !== undefined;
  for (const [id, v] of pairEntries ?? []) {
    const idFail = checkId(id, KEBAB_ID_RE, KEBAB_ID_EXPECTED);
    if (idFail !== undefined) addIdFail(sink, ['pairs', id], idFail);
    const p = parseWith(PairSchema, v, ['pairs', id], sink);
    if (p === undefined || idFail !== undefined) {
      pairsBroken.add(id);
      continue;
    }
    let ok = true;
    for (const role of ['primary', 'backup'] as const) {
      const ref = p[role];
      if (!apps.has(ref)) {
        ok = false;
        if (!appsBroken.has(ref) && appsComplete)
          sink.unknown(['pairs', id, role], 'app', ref, apps.keys());
        continue;
      }
      const other = appPair.get(ref);
      if (other !== undefined && other !== id) {
        sink.add(['pairs', id, role], `app "${ref}" is already in pair "${other}"`, {
          hint: 'an app belongs to at most one pair',
        });
        ok = false;
      } else appPair.set(ref, id);
    }
    if (p.primary === p.backup) {
      sink.add(['pairs', id, 'backup'], 'backup is the same app as primary', {
        expected: 'a second app of the same type',
        found: describeValue(p.backup),
      });
      ok = false;
    }
    const prim = apps.get(p.primary);
    const back = apps.get(p.backup);
    if (prim !== undefined && back !== undefined && prim.type !== back.type) {
      sink.add(['pairs', id, 'backup'], 'the members of a pair must have the same type', {
        expected: `a ${prim.type} app, like primary "${prim.id}"`,
        found: `"${back.id}" (${back.type})`,
      });
      ok = false;
    }
    const type = prim?.type ?? back?.type;
    if (type === 'icon') {
      sink.add(['pairs', id], 'ICONs are not paired in "pairs"', {
        hint: 'two icon apps with the same source form an ICON pair by themselves',
      });
      ok = false;
    }
    const redundancy = p.redundancy ?? 'warm';
    if (type === 'confserv' && redundancy === 'hot') {
      sink.add(['pairs', id, 'redundancy'], 'Configuration Server supports warm standby only', {
        expected: '"warm"',
        found: '"hot"',
      });
      ok = false;
    }
    if (p['cti-links'] !== undefined && type !== undefined && type !== 'tserver') {
      sink.add(['pairs', id, 'cti-links'], '"cti-links" is only for tserver pairs', {
        found: withArticle(`${type} pair`),
      });
      ok = false;
    }
    if (!ok || type === undefined) {
      pairsBroken.add(id);
      continue;
    }
    pairs.set(id, {
      id: pairId(id),
      primary: appId(p.primary),
      backup: appId(p.backup),
      type,
      redundancy,
      ctiLinks: p['cti-links'] ?? 1,
    });
  }
  const pairsOfType = (types: readonly AppType[]): string[] =>
    [...pairs.values()].filter((p) => types.includes(p.type)).map((p) => p.id);

  // The management layer is an SCS HA pair: without one nothing arbitrates between SCS instances,
  // each promotes what it sees and the pairs flap (model and vendor deployments alike).
  if (pairsBroken.size === 0 && ![...pairs.values()].some((p) => p.type === 'scs')) {
    const scs = [...apps.values()].filter((a) => a.type === 'scs').map((a) => a.id);
    sink.add(['pairs'], 'no SCS pair: nothing detects failures or orders switchovers coherently', {
      expected: 'a pair of two scs apps, on hosts at different sites',
      found: scs.length === 0 ? 'no scs app' : `scs app(s) ${scs.join(', ')} in no pair`,
      hint: 'add e.g. "scs: { primary: scs-a, backup: scs-b }" under pairs',
    });
  }

  // One SIP Server pair per site: the site's agents log in through it.
  const sipPairBySite = new Map<string, string>();
  for (const p of pairs.values()) {
    if (p.type !== 'sipserver') continue;
    const site = pairSite(p, apps, hostSite);
    if (site === undefined) continue;
    const other = sipPairBySite.get(site);
    if (other !== undefined) {
      sink.add(['pairs', p.id], `site "${site}" already has a SIP Server pair ("${other}")`, {
        hint: "a site's agents log in through one SIP Server pair (the one whose primary runs at the site)",
      });
    } else sipPairBySite.set(site, p.id);
  }
  // With a broken pair we cannot tell which sites lack a SIP Server pair: skip that check.
  const telephonyComplete = pairsComplete && pairsBroken.size === 0;

  // ICON sources: a telephony pair.
  for (const app of apps.values()) {
    if (app.type !== 'icon' || app.source === undefined) continue;
    const pair = pairs.get(app.source);
    if (pair === undefined) {
      if (!pairsBroken.has(app.source)) {
        sink.unknown(
          ['apps', app.id, 'source'],
          'telephony pair',
          app.source,
          pairsOfType(TELEPHONY_TYPES),
        );
      }
    } else if (!TELEPHONY_TYPES.includes(pair.type)) {
      sink.add(
        ['apps', app.id, 'source'],
        `"${pair.id}" is a ${pair.type} pair, not a telephony pair`,
        {
          expected: oneOf(pairsOfType(TELEPHONY_TYPES)),
        },
      );
    }
  }

  // --- clusters of CS Proxies or Stat Servers (seed 003): one type, one site, one cluster each
  const clusters: ClusterSpec[] = [];
  const appCluster = new Map<string, string>();
  const clusterBySiteType = new Map<string, string>();
  for (const [id, v] of mapEntries(raw['clusters'], ['clusters'], sink) ?? []) {
    const idFail = checkId(id, KEBAB_ID_RE, KEBAB_ID_EXPECTED);
    if (idFail !== undefined) addIdFail(sink, ['clusters', id], idFail);
    const c = parseWith(ClusterSchema, v, ['clusters', id], sink);
    if (c === undefined || idFail !== undefined) continue;
    let ok = true;
    const members: AppSpec[] = [];
    c.members.forEach((ref, j) => {
      const path = ['clusters', id, 'members', j];
      const app = apps.get(ref);
      if (app === undefined) {
        ok = false;
        if (!appsBroken.has(ref) && appsComplete) {
          sink.unknown(
            path,
            'csproxy or statserver app',
            ref,
            [...apps.values()].filter((a) => CLUSTER_TYPES.includes(a.type)).map((a) => a.id),
          );
        }
        return;
      }
      if (!CLUSTER_TYPES.includes(app.type)) {
        sink.add(path, `"${ref}" is ${withArticle(`${app.type} app`)}`, {
          expected: 'a csproxy or statserver app (Workspace clusters CS Proxies and Stat Servers)',
        });
        ok = false;
        return;
      }
      if (members.some((m) => m.id === ref)) {
        sink.add(path, `"${ref}" is listed twice`);
        ok = false;
        return;
      }
      const other = appCluster.get(ref) ?? appPair.get(ref);
      if (other !== undefined) {
        sink.add(path, `app "${ref}" is already in "${other}"`, {
          hint: 'a CS Proxy or Stat Server is either in one pair or in one cluster',
        });
        ok = false;
        return;
      }
      members.push(app);
    });
    if (!ok || members.length === 0) continue;
    const type = members[0]!.type as ClusterSpec['type'];
    const odd = members.find((m) => m.type !== type);
    if (odd !== undefined) {
      sink.add(['clusters', id, 'members'], 'the members of a cluster must have the same type', {
        expected: `${type} apps, like "${members[0]!.id}"`,
        found: `"${odd.id}" (${odd.type})`,
      });
      continue;
    }
    const sitesOf = [...new Set(members.map((m) => hostSite.get(m.host)))];
    if (sitesOf.length !== 1 || sitesOf[0] === undefined) {
      if (sitesComplete) {
        sink.add(['clusters', id, 'members'], 'the members of a cluster run at one site', {
          expected: 'apps on hosts of one site (Workspace connects to the cluster of a site)',
          found: `sites ${sitesOf.map((x) => x ?? '?').join(', ')}`,
        });
      }
      continue;
    }
    const site = sitesOf[0];
    const key = `${site}/${type}`;
    const prev = clusterBySiteType.get(key);
    if (prev !== undefined) {
      sink.add(['clusters', id], `site "${site}" already has a ${type} cluster ("${prev}")`, {
        hint: 'Workspace connects to one cluster of each kind per site; list every member in it',
      });
      continue;
    }
    clusterBySiteType.set(key, id);
    for (const m of members) appCluster.set(m.id, id);
    clusters.push({ id, type, site, members: members.map((m) => m.id).sort(compareStrings) });
  }

  // ICON role cfg records the Configuration Server pair: there must be one.
  const confservPairs = pairsOfType(['confserv']);
  for (const app of apps.values()) {
    if (app.type !== 'icon' || app.roles?.includes('cfg') !== true) continue;
    if (confservPairs.length === 0 && pairsComplete && pairsBroken.size === 0) {
      sink.add(
        ['apps', app.id, 'role'],
        'role "cfg" records the Configuration Server, but the topology has no confserv pair',
        {
          expected: 'a confserv pair in "pairs", or a role without cfg',
          found: describeValue(app.roles.join(',')),
        },
      );
    }
  }

  // --- agent groups
  const agentGroups: AgentGroupSpec[] = [];
  const groupIndex = new Map<string, number>();
  let agentsTotal = 0;
  const agentItems = listItems(raw['agents'], ['agents'], sink) ?? [];
  if (agentItems.length > AGENT_GROUPS_MAX) {
    sink.add(['agents'], 'too many agent groups', {
      expected: `at most ${AGENT_GROUPS_MAX}`,
      found: String(agentItems.length),
    });
  }
  agentItems.forEach((v, i) => {
    const g = parseWith(AgentGroupSchema, v, ['agents', i], sink);
    if (g === undefined) return;
    const first = groupIndex.get(g.group);
    if (first !== undefined) {
      sink.add(
        ['agents', i, 'group'],
        `group "${g.group}" is defined twice (first at agents[${first}])`,
      );
      return;
    }
    groupIndex.set(g.group, i);
    agentsTotal += g.count;
    const checkSite = (key: 'preferred-site' | 'peer-site', site: string | undefined): boolean => {
      if (site === undefined) return true;
      if (siteIds.has(site)) return true;
      if (sitesComplete) sink.unknown(['agents', i, key], 'site', site, siteIds);
      return false;
    };
    const prefOk = checkSite('preferred-site', g['preferred-site']);
    const peerOk = checkSite('peer-site', g['peer-site']);
    if (g.telephony !== undefined) {
      const pair = pairs.get(g.telephony);
      if (pair === undefined) {
        if (!pairsBroken.has(g.telephony)) {
          sink.unknown(
            ['agents', i, 'telephony'],
            'T-Server pair',
            g.telephony,
            pairsOfType(['tserver']),
          );
        }
      } else if (pair.type !== 'tserver') {
        sink.add(
          ['agents', i, 'telephony'],
          `"${pair.id}" is a ${pair.type} pair; "telephony" names a tserver pair`,
          {
            expected: oneOf(pairsOfType(['tserver'])),
            hint: "omit telephony to log in through the site's SIP Server pair",
          },
        );
      }
    } else if (telephonyComplete) {
      for (const [key, site, ok] of [
        ['preferred-site', g['preferred-site'], prefOk],
        ['peer-site', g['peer-site'], peerOk],
      ] as const) {
        if (site === undefined || !ok || sipPairBySite.has(site)) continue;
        sink.add(
          ['agents', i, key],
          `site "${site}" has no SIP Server pair for its agents to log in through`,
          {
            expected: `a site with a sipserver pair whose primary runs there (${oneOf(sipPairBySite.keys()).replace(/^one of: /, '')})`,
            hint: 'or set "telephony" to a tserver pair',
          },
        );
      }
    }
    const persons: PersonSpec[] = [];
    for (const [agent, options] of Object.entries(g.persons ?? {})) {
      const index = agentIndex(g.group, g.count, agent);
      if (index === undefined) {
        const first = agentName(g.group, g.count, 0);
        const last = agentName(g.group, g.count, Math.max(0, g.count - 1));
        const extra: { expected: string; found: string; hint?: string } = {
          expected:
            g.count === 0
              ? 'no person: the group has no agent'
              : `an agent of group "${g.group}" as agents.csv names it: ${first}${g.count > 1 ? ` … ${last}` : ''}`,
          found: describeValue(agent),
        };
        // A number in range written with another padding: say the name ccsim uses.
        const m = /^(.*)-0*(\d+)$/.exec(agent);
        const k = m === null ? NaN : Number(m[2]) - 1;
        if (m !== null && m[1] === g.group && k >= 0 && k < g.count)
          extra.hint = `did you mean "${agentName(g.group, g.count, k)}"?`;
        sink.add(['agents', i, 'persons', agent], `unknown person "${agent}"`, extra);
        continue;
      }
      persons.push({ agent, index, options });
    }
    persons.sort((a, b) => a.index - b.index);
    if (appsComplete) {
      if (g.options !== undefined)
        checkLoginNodesRefs(g.options, ['agents', i, 'options'], apps, sink);
      for (const p of persons)
        checkLoginNodesRefs(p.options, ['agents', i, 'persons', p.agent], apps, sink);
    }
    const group: AgentGroupSpec = {
      group: g.group,
      count: g.count,
      preferredSite: siteId(g['preferred-site']),
      options: g.options ?? new Map(),
      persons,
    };
    if (g['peer-site'] !== undefined) group.peerSite = siteId(g['peer-site']);
    if (g.telephony !== undefined) group.telephony = pairId(g.telephony);
    if (g.shifts !== undefined) {
      const shifts = checkShifts(g.shifts, g.count, ['agents', i, 'shifts'], sink);
      if (shifts !== undefined) group.shifts = shifts;
    }
    agentGroups.push(group);
  });
  if (agentsTotal > AGENTS_MAX) {
    sink.add(['agents'], 'too many agents', {
      expected: `at most ${AGENTS_MAX} in all groups`,
      found: String(agentsTotal),
    });
  }

  const options: OptionLayer | undefined =
    raw['options'] === undefined
      ? new Map()
      : parseWith(optionsSchema('topology'), raw['options'], ['options'], sink);
  const tenantOptions: OptionLayer | undefined =
    raw['tenant-options'] === undefined
      ? new Map()
      : parseWith(optionsSchema('tenant'), raw['tenant-options'], ['tenant-options'], sink);

  if (appsComplete) {
    if (options !== undefined) checkLoginNodesRefs(options, ['options'], apps, sink);
    if (tenantOptions !== undefined)
      checkLoginNodesRefs(tenantOptions, ['tenant-options'], apps, sink);
  }
  if (
    sink.count !== start ||
    name === undefined ||
    options === undefined ||
    tenantOptions === undefined
  )
    return undefined;
  const hosts: HostSpec[] = [...hostSite.entries()]
    .map(([id, site]) => ({ id: hostId(id), site }))
    .sort((a, b) => compareStrings(a.id, b.id));
  return {
    name,
    file: doc.file,
    digest: doc.digest,
    licenses,
    sites: sites.sort((a, b) => compareStrings(a.id, b.id)),
    hosts,
    network,
    apps: [...apps.values()].sort((a, b) => compareStrings(a.id, b.id)),
    pairs: [...pairs.values()].sort((a, b) => compareStrings(a.id, b.id)),
    clusters: clusters.sort((a, b) => compareStrings(a.id, b.id)),
    agentGroups,
    options,
    tenantOptions,
  };
}

/** Lookups over a valid topology, shared by the scenario checks and lint. */
export class TopologyIndex {
  readonly siteIds: ReadonlySet<string>;
  readonly hostSite: ReadonlyMap<string, string>;
  readonly apps: ReadonlyMap<string, AppSpec>;
  readonly pairs: ReadonlyMap<string, PairSpec>;
  /** App id → the pair it belongs to. */
  readonly pairOfApp: ReadonlyMap<string, PairSpec>;
  readonly groups: ReadonlyMap<string, AgentGroupSpec>;
  /** Site → the SIP Server pair serving it (its primary runs there). */
  readonly sipPairBySite: ReadonlyMap<string, string>;
  /** IDB id → the ICONs writing to it (sorted). */
  readonly idbs: ReadonlyMap<string, string[]>;

  constructor(readonly topology: TopologySpec) {
    this.siteIds = new Set(topology.sites.map((s) => s.id));
    this.hostSite = new Map(topology.hosts.map((h) => [h.id, h.site]));
    this.apps = new Map(topology.apps.map((a) => [a.id, a]));
    this.pairs = new Map(topology.pairs.map((p) => [p.id, p]));
    const pairOfApp = new Map<string, PairSpec>();
    for (const p of topology.pairs) {
      pairOfApp.set(p.primary, p);
      pairOfApp.set(p.backup, p);
    }
    this.pairOfApp = pairOfApp;
    this.groups = new Map(topology.agentGroups.map((g) => [g.group, g]));
    const sip = new Map<string, string>();
    for (const p of topology.pairs) {
      if (p.type !== 'sipserver') continue;
      const site = this.siteOfApp(p.primary);
      if (site !== undefined && !sip.has(site)) sip.set(site, p.id);
    }
    this.sipPairBySite = sip;
    const idbs = new Map<string, string[]>();
    for (const a of topology.apps) {
      if (a.type !== 'icon' || a.idb === undefined) continue;
      idbs.set(a.idb, [...(idbs.get(a.idb) ?? []), a.id]);
    }
    this.idbs = idbs;
  }

  siteOfApp(app: string): string | undefined {
    const a = this.apps.get(app);
    return a === undefined ? undefined : this.hostSite.get(a.host);
  }

  appsOfType(type: AppType): string[] {
    return this.topology.apps.filter((a) => a.type === type).map((a) => a.id);
  }

  pairsOfType(types: readonly AppType[]): string[] {
    return this.topology.pairs.filter((p) => types.includes(p.type)).map((p) => p.id);
  }

  hostsOfSite(site: string): HostId[] {
    return this.topology.sites.find((s) => s.id === site)?.hosts ?? [];
  }
}
