// What every component of one replication shares: the simulator context, the network, the
// resolved options, the recorder and the fault attribution. Not a registry of components.

import type { SimContext } from '../sim/index.js';
import type { Blame } from './faults/blame.js';
import type { Network } from './network/network.js';
import type { Options } from './options.js';
import type { Recorder } from './recorder.js';

export interface Env {
  readonly ctx: SimContext;
  readonly net: Network;
  readonly opts: Options;
  readonly recorder: Recorder;
  readonly blame: Blame;
  readonly licenses: { readonly ha: boolean; readonly ctiHa: boolean };
}
