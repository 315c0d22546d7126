// Compiled by test/types/option-name.test.ts (not run): an option name the registry does not
// know fails to compile where a model reads it.
import type { OptionName, Options } from '../../src/models/options.js';

export function read(opts: Options): number {
  const known: OptionName = 'reconnect-timeout';
  // @ts-expect-error a typo of addp-timeout is no option name
  const typo: OptionName = 'addp-timeuot';
  // @ts-expect-error opts.ms takes only registered names
  const ms = opts.ms('reconect-timeout');
  return opts.ms(known) + ms + typo.length;
}
