// How a client follows an HA pair (DOMAIN §4): one machine for every client of a pair — agent
// desktops, ICONs, the Configuration Server's backup, the SCS peer link. Its state is one byte per
// client, so thousands of desktops can each hold one; `step` is a lookup in a table built once from
// the declarative TABLE below, where every (redundancy, state, event) cell is a transition, a
// deliberate no-op or an assertion. The machine decides; the caller carries out the effects
// (opens and closes connections, arms timers) and feeds back what happens.
// Leaves out: the vendor's `attempts` (per-server attempts before trying the other server).

import { assert } from '../../sim/index.js';
import type { Redundancy } from '../../spec/kinds.js';
import type { AddpEndpoint, AddpLink, AddpLinkLost } from '../network/addp.js';
import type { HostId } from '../../spec/types.js';
import type { App, AppChange } from './app.js';

/** One connection of the client (hot: to each member; warm: its single connection). */
export enum Link {
  /** The client process is not running (or its client layer is restarting). */
  Dead = 0,
  /** No connection and no attempt armed: waiting for the member to start (hot). */
  Down = 1,
  /** No connection; an attempt is armed (retry every reconnect-timeout). */
  Connecting = 2,
  /** Connected. */
  Up = 3,
}

/** What happened, to a member of the pair (server…, link…, retry…) or to the client itself. */
export enum ClientEvent {
  /** The member's process exited on a live host: it closes its connections. */
  ServerCrashed = 0,
  /** The member's host or path vanished: the connection dies silently (ADDP tells). */
  ServerVanished = 1,
  /** The member left primary mode. */
  ServerDemoted = 2,
  /** The member entered primary mode. */
  ServerPromoted = 3,
  /** The member's process is Started (again), or resumed from a hang. */
  ServerStarted = 4,
  /** The client's end of the connection to the member is lost (close heard, or ADDP timeout). */
  LinkLost = 5,
  /** The armed attempt is due. */
  RetryDue = 6,
  /** The client process exited: it closes its connections. */
  ClientCrashed = 7,
  /** The client's host vanished: its connections die silently. */
  ClientVanished = 8,
  /** The client process (or client layer) started: it connects. */
  ClientStarted = 9,
}
const EVENT_COUNT = 10;

/** Whether a connection attempt to a member would succeed now (see `outlook`). */
export enum Outlook {
  /** No server to connect to (the member does not run, or warm: no primary). */
  NoServer = 0,
  /** The server runs but cannot be reached both ways now (or the client cannot act yet). */
  Unreachable = 1,
  Reachable = 2,
}

/** What the caller must do (a bit set). */
export enum Effect {
  None = 0,
  /** Open the connection to the member now. */
  Connect = 1,
  /** The client closes its end (the server hears it). */
  CloseClient = 2,
  /** The client's end vanishes (the server hears nothing). */
  DropClient = 4,
  /** The server closes its end: the client hears the close after the latency (then LinkLost). */
  ServerClosed = 8,
  /** The server's end vanished: the client's ADDP detects it (then LinkLost). */
  ServerGone = 16,
  /** Arm an attempt reconnect-timeout later (warm: the client's; hot: toward this member). */
  ArmRetry = 32,
  /** Cancel the armed attempt. */
  CancelRetry = 64,
  /** The member the client receives from may have changed. */
  Refresh = 128,
}

type Cell =
  | { to: Link; fx?: readonly Effect[] }
  | 'ignore'
  | 'assert'
  | { noServer: Cell; unreachable: Cell; reachable: Cell };

type Row = Record<EventName, Cell>;
/** In ClientEvent order. */
export const EVENT_NAMES = [
  'serverCrashed',
  'serverVanished',
  'serverDemoted',
  'serverPromoted',
  'serverStarted',
  'linkLost',
  'retryDue',
  'clientCrashed',
  'clientVanished',
  'clientStarted',
] as const;
type EventName = (typeof EVENT_NAMES)[number];
export const LINK_NAMES = ['dead', 'down', 'connecting', 'up'] as const;
type LinkName = (typeof LINK_NAMES)[number];

const to = (l: Link, ...fx: Effect[]): Cell => ({ to: l, fx });
const connect = to(Link.Up, Effect.Connect, Effect.CancelRetry, Effect.Refresh);
const retry = to(Link.Connecting, Effect.ArmRetry);
const serverEventsIgnored = {
  serverCrashed: 'ignore',
  serverVanished: 'ignore',
  serverDemoted: 'ignore',
  serverPromoted: 'ignore',
  serverStarted: 'ignore',
} as const;

/**
 * The rules, per redundancy. Warm: the client holds one connection, to the primary; a primary
 * leaving primary mode closes its client sessions (model assumption) and the client reconnects
 * to whichever member is primary reconnect-timeout later. Hot: one connection to each running
 * member; a demoted member keeps its clients, a restarted one is connected as soon as it is
 * Started, one that runs but cannot be reached is tried every reconnect-timeout.
 */
export const TABLE: Record<Redundancy, Record<LinkName, Row>> = {
  warm: {
    dead: {
      ...serverEventsIgnored,
      linkLost: 'ignore', // a loss reported after the client itself went away
      retryDue: 'assert', // its retry was cancelled when the client went away
      clientCrashed: 'ignore',
      clientVanished: 'ignore',
      clientStarted: { noServer: retry, unreachable: retry, reachable: connect },
    },
    // Warm: a member the client is not connected to (it is connected to the other one).
    down: {
      ...serverEventsIgnored,
      linkLost: 'assert',
      retryDue: 'assert',
      clientCrashed: 'assert',
      clientVanished: 'assert',
      clientStarted: 'assert',
    },
    connecting: {
      ...serverEventsIgnored, // a warm client waits for its next attempt
      linkLost: 'assert',
      retryDue: { noServer: retry, unreachable: retry, reachable: connect },
      clientCrashed: to(Link.Dead, Effect.CancelRetry),
      clientVanished: to(Link.Dead, Effect.CancelRetry),
      clientStarted: 'assert',
    },
    up: {
      serverCrashed: to(Link.Up, Effect.ServerClosed),
      serverVanished: to(Link.Up, Effect.ServerGone),
      serverDemoted: to(Link.Up, Effect.ServerClosed), // a warm backup serves no client
      serverPromoted: to(Link.Up, Effect.Refresh),
      serverStarted: 'ignore', // a stale connection its ADDP has not judged yet
      linkLost: to(Link.Connecting, Effect.ArmRetry, Effect.Refresh),
      retryDue: 'assert',
      clientCrashed: to(Link.Dead, Effect.CloseClient, Effect.Refresh),
      clientVanished: to(Link.Dead, Effect.DropClient, Effect.Refresh),
      clientStarted: 'assert',
    },
  },
  hot: {
    dead: {
      ...serverEventsIgnored,
      linkLost: 'ignore',
      retryDue: 'assert',
      clientCrashed: 'ignore',
      clientVanished: 'ignore',
      clientStarted: { noServer: to(Link.Down), unreachable: retry, reachable: connect },
    },
    down: {
      ...serverEventsIgnored,
      serverStarted: { noServer: 'ignore', unreachable: retry, reachable: connect },
      linkLost: 'assert',
      retryDue: 'assert',
      clientCrashed: to(Link.Dead),
      clientVanished: to(Link.Dead),
      clientStarted: 'assert',
    },
    connecting: {
      ...serverEventsIgnored,
      serverStarted: { noServer: 'ignore', unreachable: 'ignore', reachable: connect },
      linkLost: 'assert',
      retryDue: { noServer: to(Link.Down), unreachable: retry, reachable: connect },
      clientCrashed: to(Link.Dead, Effect.CancelRetry),
      clientVanished: to(Link.Dead, Effect.CancelRetry),
      clientStarted: 'assert',
    },
    up: {
      serverCrashed: to(Link.Up, Effect.ServerClosed),
      serverVanished: to(Link.Up, Effect.ServerGone),
      serverDemoted: to(Link.Up, Effect.Refresh), // a hot member keeps its clients
      serverPromoted: to(Link.Up, Effect.Refresh), // used at once
      serverStarted: 'ignore',
      linkLost: {
        noServer: to(Link.Down, Effect.Refresh), // connected again when it is Started
        unreachable: to(Link.Connecting, Effect.ArmRetry, Effect.Refresh),
        reachable: to(Link.Connecting, Effect.ArmRetry, Effect.Refresh),
      },
      retryDue: 'assert',
      clientCrashed: to(Link.Dead, Effect.CloseClient, Effect.Refresh),
      clientVanished: to(Link.Dead, Effect.DropClient, Effect.Refresh),
      clientStarted: 'assert',
    },
  },
};

// ---- the compiled table: [mode][link][event][outlook] → next link (bits 0-1) | effects << 2 ----

const ASSERT = 0xffff;
const IGNORE = 0xfffe;
const MODES = ['warm', 'hot'] as const;
const COMPILED = new Uint16Array(2 * 4 * EVENT_COUNT * 3);

function compileCell(c: Cell, outlook: Outlook): number {
  if (c === 'assert') return ASSERT;
  if (c === 'ignore') return IGNORE;
  if ('to' in c) return c.to | ((c.fx ?? []).reduce((a, f) => a | f, 0) << 2);
  const o =
    outlook === Outlook.NoServer
      ? c.noServer
      : outlook === Outlook.Unreachable
        ? c.unreachable
        : c.reachable;
  return compileCell(o, outlook);
}

MODES.forEach((mode, mi) =>
  LINK_NAMES.forEach((link, li) =>
    EVENT_NAMES.forEach((ev, ei) => {
      for (let o = 0; o < 3; o++)
        COMPILED[((mi * 4 + li) * EVENT_COUNT + ei) * 3 + o] = compileCell(
          TABLE[mode][link][ev],
          o,
        );
    }),
  ),
);

// ---- the state byte ----
// hot: bits 0-1 the link to member 0, bits 2-3 the link to member 1.
// warm: bits 0-1 the single connection, bit 2 the member it is (or was last) connected to.

export type ClientMode = 0 | 1;
export const WARM: ClientMode = 0;
export const HOT: ClientMode = 1;

export function modeOf(r: Redundancy): ClientMode {
  return r === 'hot' ? HOT : WARM;
}

/** The state of a client whose process is not running yet. */
export const DEAD = 0;

/** The link to member `m` as this client sees it. */
export function linkTo(state: number, mode: ClientMode, m: 0 | 1): Link {
  if (mode === HOT) return ((state >> (2 * m)) & 3) as Link;
  const l = (state & 3) as Link;
  return l === Link.Up && ((state >> 2) & 1) !== m ? Link.Down : l;
}

/** Connected to member `m`. */
export function isUp(state: number, mode: ClientMode, m: 0 | 1): boolean {
  return linkTo(state, mode, m) === Link.Up;
}

/** Connected to any member. */
export function anyUp(state: number, mode: ClientMode): boolean {
  return isUp(state, mode, 0) || isUp(state, mode, 1);
}

/**
 * The client receives from the primary in service (member `primary`, -1 when none) iff it is
 * connected to it: the one definition for every client.
 */
export function receivesFrom(state: number, mode: ClientMode, primary: number): boolean {
  return primary >= 0 && isUp(state, mode, primary as 0 | 1);
}

/** Events that concern the client as a whole (warm: its one connection; hot: each member). */
function clientLevel(ev: ClientEvent): boolean {
  return ev === ClientEvent.RetryDue || ev >= ClientEvent.ClientCrashed;
}

/**
 * One step: the client in `state` sees `ev` about member `m` (warm client-level events: `m` is
 * the member an attempt targets — the primary). `outlook` says whether a connection attempt to
 * `m` would succeed now (only cells that connect read it). Returns the next state in bits 0-7
 * and the effects (an Effect set) from bit 8. A hot client steps client-level events once per
 * member. No allocation.
 */
export function step(
  state: number,
  mode: ClientMode,
  ev: ClientEvent,
  m: 0 | 1,
  outlook: Outlook,
): number {
  const view =
    mode === WARM && !clientLevel(ev)
      ? linkTo(state, mode, m)
      : mode === WARM
        ? ((state & 3) as Link)
        : linkTo(state, mode, m);
  const cell = COMPILED[((mode * 4 + view) * EVENT_COUNT + ev) * 3 + outlook]!;
  assert(
    cell !== ASSERT,
    () =>
      `HA client: ${EVENT_NAMES[ev]} of member ${m} in state ${LINK_NAMES[view]} (${mode === HOT ? 'hot' : 'warm'})`,
  );
  if (cell === IGNORE) return state;
  const next = (cell & 3) as Link;
  const fx = cell >> 2;
  let s: number;
  if (mode === HOT) s = (state & ~(3 << (2 * m))) | (next << (2 * m));
  else s = next === Link.Up && view !== Link.Up ? next | (m << 2) : (state & ~3) | next;
  return s | (fx << 8);
}

export const stateOf = (r: number): number => r & 0xff;

/** Warm: the member the client is (or was last) connected to. */
export function warmMember(state: number): 0 | 1 {
  return ((state >> 2) & 1) as 0 | 1;
}
export const effectsOf = (r: number): number => r >> 8;

/** What a member's change means to its clients (undefined: nothing a client sees). */
export function serverEvent(c: AppChange): ClientEvent | undefined {
  switch (c.type) {
    case 'app.crashed':
      return ClientEvent.ServerCrashed;
    case 'app.vanished':
      return ClientEvent.ServerVanished;
    case 'app.demoted':
      return ClientEvent.ServerDemoted;
    case 'app.promoted':
      return ClientEvent.ServerPromoted;
    case 'app.started':
    case 'app.unhung':
      return ClientEvent.ServerStarted;
    case 'app.hung': // looks Started to every client
    case 'app.serviceChanged': // the pair's state decides who serves
    case 'app.guardChanged': // a Config Server's promotion guard: nothing for its clients
      return undefined;
    default:
      return assertNeverChange(c);
  }
}

/** What the client's own process change means to its connections (undefined: nothing). */
export function clientEvent(c: AppChange): ClientEvent | undefined {
  switch (c.type) {
    case 'app.crashed':
      return ClientEvent.ClientCrashed;
    case 'app.vanished':
      return ClientEvent.ClientVanished;
    case 'app.started':
      return ClientEvent.ClientStarted;
    case 'app.promoted':
    case 'app.demoted':
    case 'app.hung':
    case 'app.unhung':
    case 'app.serviceChanged':
    case 'app.guardChanged':
      return undefined;
    default:
      return assertNeverChange(c);
  }
}

function assertNeverChange(c: never): never {
  assert(false, `HA client: unexpected app change ${JSON.stringify(c)}`);
}

/** A member runs and accepts connections (Started or Service Unavailable, not hung). */
export function accepts(server: App): boolean {
  return server.up && server.status !== 'hung';
}

/**
 * Whether an attempt to connect to `server` would succeed now: the one rule for every client.
 * A client that cannot act yet (not Started) tries again later; a server that does not run is
 * waited for; one that runs must be reachable both ways.
 */
export function outlook(
  clientServing: boolean,
  server: App | undefined,
  reachableBothWays: boolean,
): Outlook {
  if (!clientServing) return Outlook.Unreachable;
  if (server === undefined || !accepts(server)) return Outlook.NoServer;
  return reachableBothWays ? Outlook.Reachable : Outlook.Unreachable;
}

/**
 * Warm: the member client `c` connects to — the primary in service, else a running primary; of
 * two such (a split brain), the one the client can reach (else the first): a warm-standby client
 * that cannot connect to one server tries the other. By hand, without arrays or closures: a warm
 * client's every attempt asks.
 */
export function warmTarget(
  members: readonly [App, App],
  c: number,
  side: Pick<ClientSide, 'outlookOf'>,
): 0 | 1 | -1 {
  const fit = warmFit(members);
  if (fit === 0) return -1;
  if ((fit & 1) !== 0 && side.outlookOf(c, members[0]) === Outlook.Reachable) return 0;
  if ((fit & 2) !== 0 && side.outlookOf(c, members[1]) === Outlook.Reachable) return 1;
  return (fit & 1) !== 0 ? 0 : 1;
}

/**
 * The members a warm client may connect to (bit m set: member m): the primaries in service, else
 * the running primaries.
 */
function warmFit(members: readonly [App, App]): number {
  const a = members[0];
  const b = members[1];
  const fit =
    (a.role === 'primary' && a.serving ? 1 : 0) | (b.role === 'primary' && b.serving ? 2 : 0);
  if (fit !== 0) return fit;
  return (
    (a.role === 'primary' && accepts(a) ? 1 : 0) | (b.role === 'primary' && accepts(b) ? 2 : 0)
  );
}

/**
 * A member's end of a connection (an AddpLink side): it answers while the process runs. A server
 * forgets a lost client (no `lost`); a member watching its peer (peer-link.ts) is told.
 */
export class ServerEnd implements AddpEndpoint {
  constructor(
    readonly app: App,
    private readonly lost?: AddpLinkLost,
  ) {}
  get hostId(): HostId {
    return this.app.host.id;
  }
  addpAlive(): boolean {
    return this.app.up;
  }
  onConnectionLost(link: AddpLink, reason: 'addp-timeout' | 'closed'): void {
    this.lost?.(link, reason);
  }
}

/** What a client model supplies so `follow` can run the machine for it. */
export interface ClientSide {
  /** Would an attempt by client `c` to connect to `server` succeed now? (see `outlook`) */
  outlookOf(c: number, server: App | undefined): Outlook;
  /** Carry out the effects `fx` for client `c` and member `m`. */
  effects(c: number, fx: number, m: 0 | 1): void;
}

/**
 * Runs `ev` (about member `m`) through client `c`'s machine, whose state is `states[c]`, and
 * has its effects carried out. The one place that says which members an event concerns: a hot
 * client's start and crash concern each member; a warm client's attempt targets the current
 * primary (warmTarget), its crash its one connection; everything else the member it names.
 */
export function follow(
  states: Uint8Array,
  c: number,
  mode: ClientMode,
  members: readonly [App, App],
  ev: ClientEvent,
  m: 0 | 1,
  side: ClientSide,
): void {
  const attempt = ev === ClientEvent.RetryDue || ev === ClientEvent.ClientStarted;
  const ofClient = attempt || ev === ClientEvent.ClientCrashed || ev === ClientEvent.ClientVanished;
  if (mode === HOT && ofClient && ev !== ClientEvent.RetryDue) {
    followOne(states, c, mode, members, ev, 0, side, false);
    followOne(states, c, mode, members, ev, 1, side, false);
  } else if (mode === WARM && ofClient) {
    const t = attempt ? warmTarget(members, c, side) : warmMember(states[c]!);
    followOne(states, c, mode, members, ev, t === -1 ? 0 : t, side, t === -1);
  } else followOne(states, c, mode, members, ev, m, side, false);
}

function followOne(
  states: Uint8Array,
  c: number,
  mode: ClientMode,
  members: readonly [App, App],
  ev: ClientEvent,
  m: 0 | 1,
  side: ClientSide,
  noServer: boolean,
): void {
  const o = side.outlookOf(c, noServer ? undefined : members[m]);
  const r = step(states[c]!, mode, ev, m, o);
  states[c] = stateOf(r);
  const fx = effectsOf(r);
  if (fx !== Effect.None) side.effects(c, fx, m);
}
