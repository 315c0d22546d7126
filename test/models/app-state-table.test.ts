// State × event table of the HA-pair member machine (App): every pair is a decision —
// a transition or a deliberate no-op.
import { describe, expect, test } from 'vitest';
import { Simulator } from '../../src/sim/index.js';
import { App, type AppStatus, type Role } from '../../src/models/ha-pair/app.js';
import { HaPair } from '../../src/models/ha-pair/pair.js';
import { Options } from '../../src/models/options.js';
import { Recorder } from '../../src/models/recorder.js';
import { Blame } from '../../src/models/faults/blame.js';
import type { Env } from '../../src/models/env.js';
import type { Network } from '../../src/models/network/network.js';
import { app as appId, pair, quietHost } from './hand-spec.js';

function makeApp(status: AppStatus, role: Role) {
  const sim = new Simulator(1, 0);
  const env: Env = {
    ctx: sim,
    net: {} as Network,
    opts: new Options([]),
    recorder: new Recorder(),
    blame: new Blame(),
    licenses: { ha: true, ctiHa: true },
  };
  const host = quietHost();
  const app = new App(env, appId('x'), 'sipserver', host, role, true);
  const other = new App(
    env,
    appId('y'),
    'sipserver',
    host,
    role === 'primary' ? 'backup' : 'primary',
    true,
  );
  new HaPair(env, pair('p'), 'hot', [app, other], 1);
  // Reach the starting status through the machine itself.
  if (status === 'stopped' || status === 'starting') app.crash('setup');
  if (status === 'starting') app.start();
  if (status === 'hung') app.hang();
  if (status === 'service-unavailable') app.setServiceAvailable(false);
  return { sim, app };
}

const label = (a: App) => (a.up ? `${a.status} ${a.role}` : a.status);

type Ev =
  | 'crash'
  | 'vanish'
  | 'start'
  | 'promote'
  | 'demote'
  | 'hang'
  | 'unhang'
  | 'serviceDown'
  | 'serviceUp';
const events: Ev[] = [
  'crash',
  'vanish',
  'start',
  'promote',
  'demote',
  'hang',
  'unhang',
  'serviceDown',
  'serviceUp',
];

function fire(app: App, ev: Ev): void {
  switch (ev) {
    case 'crash':
      return app.crash('t');
    case 'vanish':
      return app.vanish('t');
    case 'start':
      return app.start();
    case 'promote':
      return app.promote(() => {});
    case 'demote':
      return app.demote();
    case 'hang':
      return app.hang();
    case 'unhang':
      return app.unhang();
    case 'serviceDown':
      return app.setServiceAvailable(false);
    case 'serviceUp':
      return app.setServiceAvailable(true);
  }
}

// Expected "status role" a minute after the event, for a member starting as backup.
const table: Record<AppStatus, Record<Ev, string>> = {
  started: {
    crash: 'stopped',
    vanish: 'stopped',
    start: 'started backup',
    promote: 'started primary',
    demote: 'started backup',
    hang: 'hung backup',
    unhang: 'started backup',
    serviceDown: 'service-unavailable backup',
    serviceUp: 'started backup',
  },
  'service-unavailable': {
    crash: 'stopped',
    vanish: 'stopped',
    start: 'service-unavailable backup',
    promote: 'service-unavailable primary',
    demote: 'service-unavailable backup',
    hang: 'hung backup',
    unhang: 'service-unavailable backup',
    serviceDown: 'service-unavailable backup',
    serviceUp: 'started backup',
  },
  hung: {
    crash: 'stopped',
    vanish: 'stopped',
    start: 'hung backup',
    promote: 'hung backup',
    demote: 'hung backup',
    hang: 'hung backup',
    unhang: 'started backup',
    serviceDown: 'hung backup',
    serviceUp: 'hung backup',
  },
  stopped: {
    crash: 'stopped',
    vanish: 'stopped',
    start: 'started backup',
    promote: 'stopped',
    demote: 'stopped',
    hang: 'stopped',
    unhang: 'stopped',
    serviceDown: 'stopped',
    serviceUp: 'stopped',
  },
  starting: {
    crash: 'stopped',
    vanish: 'stopped',
    start: 'started backup',
    promote: 'started backup',
    demote: 'started backup',
    hang: 'started backup',
    unhang: 'started backup',
    serviceDown: 'service-unavailable backup',
    serviceUp: 'started backup',
  },
};

describe('App (HA pair member) state × event', () => {
  for (const status of Object.keys(table) as AppStatus[]) {
    for (const ev of events) {
      test(`${status} + ${ev} → ${table[status][ev]}`, () => {
        const { sim, app } = makeApp(status, 'backup');
        expect(app.status).toBe(status);
        fire(app, ev);
        sim.run({ untilMs: 60_000 });
        expect(label(app)).toBe(table[status][ev]);
      });
    }
  }

  test('a restarted member always joins as backup', () => {
    const { sim, app } = makeApp('started', 'primary');
    app.crash('t');
    app.start();
    sim.run({ untilMs: 60_000 });
    expect(label(app)).toBe('started backup');
  });
});
