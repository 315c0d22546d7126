// The key-figure cards of report.html (html/charts.ts keyFiguresHtml): one list with the
// terminal summary (report/key-metrics.ts), the same rule for a share of calls none were offered.
import { describe, expect, test } from 'vitest';
import { keyFiguresHtml } from '../../src/report/html/charts.js';

/** The value shown on the card labelled `label`. */
function card(html: string, label: string): string | undefined {
  const m = new RegExp(`<div class="v">([^<]*)</div><div class="k">${label}</div>`).exec(html);
  return m?.[1];
}

describe('key-figure cards', () => {
  test('service level: a dash where no call was offered, the share where calls were', () => {
    const none = keyFiguresHtml({ calls_offered: '0', service_level: '0', switchovers: '2' });
    expect(card(none, 'service level')).toBe('–');
    expect(card(none, 'switchovers')).toBe('2');
    const some = keyFiguresHtml({ calls_offered: '40', service_level: '0.5', switchovers: '0' });
    expect(card(some, 'service level')).toBe('50.0 %');
    expect(some).toContain('<div class="kf bad"><div class="v">50.0 %'); // below the target
  });
});
