// bench/anatomy.ts counts the events a bench-day call schedules, by handler and kind: each call
// is one arrival, and the call's own mechanisms (talk end, wrap-up end) come about once a call.
// Budget: ~4 s (replication 0 and 1 of bench-day, with every schedule call counted).

import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';

describe('bench/anatomy events', () => {
  test('one arrival a call; talk and wrap-up ends about once a call', () => {
    const out = execFileSync(process.execPath, ['dist/bench/anatomy.js', 'events', '1'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    const lines = out.trim().split('\n');
    const summary = JSON.parse(lines.pop()!) as { calls: number; scheduled_per_call: number };
    const perCall = new Map(
      lines.map((l) => {
        const [, v, k] = /^\s*(\S+)\s+(.*)$/.exec(l)!;
        return [k!, Number(v)];
      }),
    );
    expect(summary.calls).toBeGreaterThan(50_000);
    expect(perCall.get('Arrivals:0')).toBeCloseTo(1, 3);
    expect(perCall.get('Telephony:3')).toBeGreaterThan(0.9); // talk end
    expect(perCall.get('AgentControl:0')).toBeGreaterThan(0.9); // wrap-up end
    const sum = [...perCall.values()].reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(summary.scheduled_per_call, 3);
  });
});
