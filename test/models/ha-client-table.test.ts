// State × event table of the HA client machine (ha-pair/client.ts): how every client (desktop,
// ICON, Config Server backup, SCS peer) follows an HA pair. Each cell below is the expected
// decision, written out independently of the machine's TABLE: "next effects…", "ignore" or
// "assert". Outlook-dependent cells list [no server, unreachable, reachable].
import { describe, expect, test } from 'vitest';
import {
  ClientEvent,
  DEAD,
  Effect,
  EVENT_NAMES,
  HOT,
  isUp,
  Link,
  linkTo,
  LINK_NAMES,
  Outlook,
  step,
  TABLE,
  WARM,
  type ClientMode,
} from '../../src/models/ha-pair/client.js';

type Cell = string | [string, string, string];
const S = ['dead', 'down', 'connecting', 'up'] as const;
const E = EVENT_NAMES;
const SERVER_IGNORED = ['ignore', 'ignore', 'ignore', 'ignore', 'ignore'];
const CONNECT = 'up connect cancelRetry refresh';
const RETRY = 'connecting armRetry';

const expected: Record<'warm' | 'hot', Record<(typeof S)[number], Cell[]>> = {
  warm: {
    dead: [...SERVER_IGNORED, 'ignore', 'assert', 'ignore', 'ignore', [RETRY, RETRY, CONNECT]],
    down: [...SERVER_IGNORED, 'assert', 'assert', 'assert', 'assert', 'assert'],
    connecting: [
      ...SERVER_IGNORED,
      'assert',
      [RETRY, RETRY, CONNECT],
      'dead cancelRetry',
      'dead cancelRetry',
      'assert',
    ],
    up: [
      'up serverClosed',
      'up serverGone',
      'up serverClosed', // a warm primary leaving primary mode closes its clients
      'up refresh',
      'ignore',
      'connecting armRetry refresh',
      'assert',
      'dead closeClient refresh',
      'dead dropClient refresh',
      'assert',
    ],
  },
  hot: {
    dead: [...SERVER_IGNORED, 'ignore', 'assert', 'ignore', 'ignore', ['down', RETRY, CONNECT]],
    down: [
      'ignore',
      'ignore',
      'ignore',
      'ignore',
      ['ignore', RETRY, CONNECT], // a restarted member is connected again at once
      'assert',
      'assert',
      'dead',
      'dead',
      'assert',
    ],
    connecting: [
      'ignore',
      'ignore',
      'ignore',
      'ignore',
      ['ignore', 'ignore', CONNECT],
      'assert',
      ['down', RETRY, CONNECT],
      'dead cancelRetry',
      'dead cancelRetry',
      'assert',
    ],
    up: [
      'up serverClosed',
      'up serverGone',
      'up refresh', // a hot member keeps its clients when demoted
      'up refresh', // and they use the new primary at once
      'ignore',
      ['down refresh', 'connecting armRetry refresh', 'connecting armRetry refresh'],
      'assert',
      'dead closeClient refresh',
      'dead dropClient refresh',
      'assert',
    ],
  },
};

const FX: [Effect, string][] = [
  [Effect.Connect, 'connect'],
  [Effect.CloseClient, 'closeClient'],
  [Effect.DropClient, 'dropClient'],
  [Effect.ServerClosed, 'serverClosed'],
  [Effect.ServerGone, 'serverGone'],
  [Effect.ArmRetry, 'armRetry'],
  [Effect.CancelRetry, 'cancelRetry'],
  [Effect.Refresh, 'refresh'],
];

/** A state byte with member 0's link (hot) or the connection to member 0 (warm) in `link`. */
function stateWith(mode: ClientMode, link: Link): number {
  return mode === HOT ? link | (Link.Up << 2) : link;
}

function decide(mode: ClientMode, link: Link, ev: ClientEvent, o: Outlook): string {
  const before = stateWith(mode, link);
  let r: number;
  try {
    r = step(before, mode, ev, 0, o);
  } catch {
    return 'assert';
  }
  if (r === before) return 'ignore';
  const fx = r >> 8;
  const next = LINK_NAMES[linkTo(r & 0xff, mode, 0)];
  // The other member is untouched by an event about member 0.
  if (mode === HOT) expect(linkTo(r & 0xff, mode, 1)).toBe(Link.Up);
  return [next, ...FX.filter(([f]) => fx & f).map(([, n]) => n)].join(' ');
}

describe('HA client machine: state × event × outlook', () => {
  for (const [modeName, mode] of [
    ['warm', WARM],
    ['hot', HOT],
  ] as const) {
    for (const [li, s] of S.entries()) {
      test(`${modeName} ${s}`, () => {
        // The warm "down" row is a view (connected to the other member): a down warm connection
        // is reached through a member-0 event on a client connected to member 1.
        E.forEach((e, ei) => {
          const want = expected[modeName][s][ei]!;
          const outs = [Outlook.NoServer, Outlook.Unreachable, Outlook.Reachable];
          const got = outs.map((o) =>
            modeName === 'warm' && s === 'down' ? decideWarmOther(ei, o) : decide(mode, li, ei, o),
          );
          const w = typeof want === 'string' ? [want, want, want] : want;
          expect(got, `${modeName} ${s} × ${e}`).toEqual(w);
        });
      });
    }
  }
});

/** Warm client connected to member 1; an event about member 0 (client-level events assert). */
function decideWarmOther(ev: ClientEvent, o: Outlook): string {
  // Client-level events never read this view (they see the one connection): unreachable cells.
  if (ev >= ClientEvent.RetryDue)
    return TABLE.warm.down[EVENT_NAMES[ev]!] === 'assert' ? 'assert' : 'reachable?';
  const before = Link.Up | (1 << 2);
  let r: number;
  try {
    r = step(before, WARM, ev, 0, o);
  } catch {
    return 'assert';
  }
  return r === before ? 'ignore' : `changed ${r}`;
}

describe('HA client machine: whole-client sequences', () => {
  test('warm: connects to the primary, loses it on demotion, reconnects to the new primary', () => {
    let s = step(DEAD, WARM, ClientEvent.ClientStarted, 0, Outlook.Reachable) & 0xff;
    expect(isUp(s, WARM, 0)).toBe(true);
    expect(isUp(s, WARM, 1)).toBe(false);
    s = step(s, WARM, ClientEvent.ServerPromoted, 1, Outlook.Reachable) & 0xff; // not connected to 1
    s = step(s, WARM, ClientEvent.ServerDemoted, 0, Outlook.Reachable);
    expect(s >> 8).toBe(Effect.ServerClosed);
    s = step(s & 0xff, WARM, ClientEvent.LinkLost, 0, Outlook.Reachable) & 0xff;
    expect(linkTo(s, WARM, 0)).toBe(Link.Connecting);
    s = step(s, WARM, ClientEvent.RetryDue, 1, Outlook.Reachable) & 0xff;
    expect(isUp(s, WARM, 1)).toBe(true);
    expect(isUp(s, WARM, 0)).toBe(false);
  });

  test('hot: a member that restarts is connected again; its demotion keeps the connection', () => {
    let s = DEAD;
    for (const m of [0, 1] as const)
      s = step(s, HOT, ClientEvent.ClientStarted, m, Outlook.Reachable) & 0xff;
    expect(isUp(s, HOT, 0) && isUp(s, HOT, 1)).toBe(true);
    s = step(s, HOT, ClientEvent.LinkLost, 1, Outlook.NoServer) & 0xff;
    expect(linkTo(s, HOT, 1)).toBe(Link.Down);
    const r = step(s, HOT, ClientEvent.ServerStarted, 1, Outlook.Reachable);
    expect((r >> 8) & Effect.Connect).toBeTruthy();
    s = step(r & 0xff, HOT, ClientEvent.ServerDemoted, 1, Outlook.Reachable) & 0xff;
    expect(isUp(s, HOT, 0) && isUp(s, HOT, 1)).toBe(true);
  });
});
