// ICON events of calls delivered across sites (issue #17, DOMAIN §8): the call's entry site's
// SIP Server records its creation, routing data and release; the agent's leg (ringing,
// established, released) is a call of the agent's site's SIP Server, recorded by that server's
// ICONs. Budget: ~1 s.
import { describe, expect, test } from 'vitest';
import { Center } from '../../src/models/center.js';
import { HAND_ICONS, handScenario, handTopology, split, traffic } from './hand-spec.js';

describe('ICON events of cross-site calls', () => {
  test("the agent's leg is recorded at the agent's site, the call's entry at the entry site", () => {
    // Every call enters at A; its group (support) works only at B: every answered call crosses.
    const t = traffic(300, 120_000, { siteSplit: { A: 1, B: 0 }, patienceMs: 120_000 });
    t.services = [
      {
        name: 'support',
        callsPerHour: 300,
        groups: ['support'],
        siteSplit: split({ A: 1, B: 0 }),
        handleTime: t.handleTime,
        wrapUpMs: 0,
        patienceMs: 120_000,
      },
    ];
    const spec = handScenario([], {
      seed: 11,
      durationMs: 1_800_000,
      topology: handTopology('hot', { urs: true, icons: HAND_ICONS }),
      traffic: t,
      agents: [
        { group: 'sales', count: 1, preferredSite: 'A', peerSite: 'B' },
        { group: 'support', count: 20, preferredSite: 'B', peerSite: 'A' },
      ],
    });
    spec.routing = { policy: 'pooled', overflowAfterMs: 0 };
    const center = new Center(spec, 0);
    const r = center.run();
    const tot = center.telephony.totals;
    expect(tot.overflowed).toBe(tot.answered);
    expect(tot.answered).toBeGreaterThan(100);
    const events = (source: string) =>
      r.icon.dataLoss.find((d) => d.source === source)!.eventsExpected;
    // Site A: per call CallCreated, AttachedData and Released (not yet released at the end: a
    // few), plus the one sales agent's login and states (a handful).
    const a = events('sip-a');
    expect(a).toBeLessThanOrEqual(3 * tot.offered + 10);
    expect(a).toBeGreaterThan(3 * tot.offered - 30);
    // Site B: per answered call its own CallCreated, Ringing, Established, PartyAdded,
    // PartyRemoved, Released, plus the 20 agents' logins and state changes.
    expect(events('sip-b')).toBeGreaterThan(6 * tot.answered);
    // Each ICON ends with no call open that its server released.
    expect(r.icon.dataLoss.every((d) => d.stuckCalls === 0)).toBe(true);
  });
});
