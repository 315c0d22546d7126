// explore runs each schedule until its faults have cleared, then its liveness phase
// (src/cli/explore.ts). A phone-unregister clears when the group's phones register again: within
// the longest registration cycle of its desktops, read as the desktops read it (application,
// agent group or person level; a hard phone's own timer). Budget: loads one scenario, < 1 s.
import { expect, test } from 'vitest';
import { join } from 'node:path';
import { loadScenario } from '../../src/scenario/load.js';
import { regCycleMs } from '../../src/cli/explore.js';

const file = join(import.meta.dirname, '../../scenarios/phone-unregister.yaml');
const cycle = (sets: string[], group = 'sales') => regCycleMs(loadScenario(file, { sets }), group);

test('a phone-unregister clears within the longest registration cycle of the group’s desktops', () => {
  expect(cycle(['sipendpoint.reg_timeout=90s'])).toBe(90_000);
  // The group's own reg_timeout, not the application's (before, explore read the latter only).
  expect(
    cycle(['sipendpoint.reg_timeout=90s', 'agents.sales.options.sipendpoint.reg_timeout=600s']),
  ).toBe(600_000);
  // Another group's setting does not count.
  expect(
    cycle(['sipendpoint.reg_timeout=90s', 'agents.support.options.sipendpoint.reg_timeout=600s']),
  ).toBe(90_000);
  // One agent's hard phone re-registers on its own, longer, timer.
  expect(
    cycle([
      'sipendpoint.reg_timeout=90s',
      'agents.sales.persons.sales-003.phone-type=hard-phone',
      'agents.sales.persons.sales-003.hard-phone.register-interval=20m',
    ]),
  ).toBe(1_200_000);
});
