// A warm client's retry during a split brain (both members primary and in service): it connects
// to the member it can reach, not the first one listed (a Genesys warm-standby client that cannot
// connect to one server tries the other). Budget: a few ms, no simulation run.
import { describe, expect, test } from 'vitest';
import type { App } from '../../src/models/ha-pair/app.js';
import {
  ClientEvent,
  Effect,
  follow,
  Link,
  linkTo,
  Outlook,
  WARM,
  warmTarget,
  type ClientSide,
} from '../../src/models/ha-pair/client.js';

const primary = (id: string, serving = true) =>
  ({ id, role: 'primary', serving, up: true, status: 'started' }) as unknown as App;

describe('warm target under a split brain', () => {
  const members = [primary('a'), primary('b')] as const;

  test('warmTarget prefers the in-service primary the client can reach', () => {
    // warmTarget for client 0, which reaches the members whose index `reachable` accepts.
    const target = (ms: readonly [App, App], reachable: (m: 0 | 1) => boolean) =>
      warmTarget(ms, 0, {
        outlookOf: (_c, s) =>
          reachable(s === ms[0] ? 0 : 1) ? Outlook.Reachable : Outlook.Unreachable,
      });
    expect(target(members, (i) => i === 1)).toBe(1);
    expect(target(members, (i) => i === 0)).toBe(0);
    // Neither reachable: the first in service (the attempt fails and is retried).
    expect(target(members, () => false)).toBe(0);
    // Reachability never makes a not-in-service primary win over one in service.
    const m2 = [primary('a'), primary('b', false)] as const;
    expect(target(m2, (i) => i === 1)).toBe(0);
  });

  test('a retrying warm client cut off from member 0 connects to member 1', () => {
    const states = new Uint8Array([Link.Connecting]);
    const calls: [number, 0 | 1][] = [];
    const side: ClientSide = {
      outlookOf: (_c, s) => (s === members[1] ? Outlook.Reachable : Outlook.Unreachable),
      effects: (_c, fx, m) => calls.push([fx, m]),
    };
    follow(states, 0, WARM, members, ClientEvent.RetryDue, 0, side);
    expect(linkTo(states[0]!, WARM, 1)).toBe(Link.Up);
    expect(calls).toHaveLength(1);
    expect(calls[0]![1]).toBe(1);
    expect(calls[0]![0] & Effect.Connect).toBeTruthy();
  });
});
