// Agent names: a group's agents are numbered from 1, zero-padded to the width of the group's
// count (`sales-007` of 120), as agents.csv writes them and `persons:` names them.

export function agentName(group: string, count: number, index: number): string {
  return `${group}-${String(index + 1).padStart(String(count).length, '0')}`;
}

/** The 0-based index of `name` in a group of `count`, or undefined when it names no agent. */
export function agentIndex(group: string, count: number, name: string): number | undefined {
  if (!name.startsWith(`${group}-`)) return undefined;
  const digits = name.slice(group.length + 1);
  if (!/^\d+$/.test(digits)) return undefined;
  const i = Number(digits) - 1;
  if (i < 0 || i >= count || agentName(group, count, i) !== name) return undefined;
  return i;
}
