import { test } from 'vitest';
import { loadTopology } from '../../src/scenario/load.js';
import { lintTopology } from '../../src/scenario/lint.js';
test('scratch', () => {
for (const f of ['scenarios/topologies/two-site-hot.yaml','scenarios/topologies/two-site-warm.yaml']) {
  try { const t = loadTopology(f); console.log(t.name, t.pairs.map(p=>`${p.id}:${p.redundancy}:${p.ctiLinks}`).join(' '), JSON.stringify(t.agentGroups.map(g=>[g.group, [...g.options]])) , [...t.options]); console.log(lintTopology(t)); } catch (e) { console.log(String(e)); }
}
});
