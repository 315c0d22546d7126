// The call pool's serial numbers are int32s (the ICONs' record ring holds them so, and negative
// identities are aliases): the pool stops with a named limit rather than wrap into an alias.
// Budget: < 50 ms.

import { describe, expect, test } from 'vitest';
import { SimLimitError } from '../../src/sim/index.js';
import { CALL_SERIALS_MAX, CallPool } from '../../src/models/telephony/calls.js';

describe('CallPool serials', () => {
  test('the last int32 serial is given; the next call stops the run with callSerialsMax', () => {
    const calls = new CallPool(1, 16);
    (calls as unknown as { nextSerial: number }).nextSerial = CALL_SERIALS_MAX - 1;
    const c = calls.alloc(0, 0, 0, 1000, 0);
    expect(calls.serial[c]).toBe(CALL_SERIALS_MAX - 1);
    let err: unknown;
    try {
      calls.alloc(0, 0, 0, 1000, 0);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SimLimitError);
    expect((err as SimLimitError).limit).toBe('callSerialsMax');
  });
});
