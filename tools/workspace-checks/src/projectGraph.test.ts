import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadDepConstraints, readProjectGraph, type DepConstraint, type ProjectGraphFile } from './workspace.js';

let graph: ProjectGraphFile['graph'];
let depConstraints: DepConstraint[];
beforeAll(async () => {
  graph = readProjectGraph().graph;
  depConstraints = await loadDepConstraints();
});

const libs = ['chunk-decoder', 'streaming-buffer', 'streaming-cache', 'chunk-loader', 'engine-machines', 'flac-encoder', 'test-audio', 'browser-testing', 'reference-tools'];

describe('project graph', () => {
  it('lists every library', () => {
    expect(Object.keys(graph.nodes)).toEqual(expect.arrayContaining(libs));
  });

  it('has only dependencies the tag constraints allow', () => {
    const violations: string[] = [];
    for (const [source, deps] of Object.entries(graph.dependencies)) {
      const sourceTags = graph.nodes[source]?.data.tags ?? [];
      for (const { target } of deps) {
        const targetTags = graph.nodes[target]?.data.tags;
        if (!targetTags) continue; // npm packages
        for (const rule of depConstraints.filter((c) => sourceTags.includes(c.sourceTag))) {
          if (!rule.onlyDependOnLibsWithTags.some((tag) => targetTags.includes(tag))) {
            violations.push(`${source} → ${target} (rule for ${rule.sourceTag})`);
          }
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('follows chunk-decoder → streaming-cache → chunk-loader → engine-machines', () => {
    const depends = (a: string, b: string) => (graph.dependencies[a] ?? []).some((d) => d.target === b);
    expect(depends('streaming-cache', 'chunk-decoder')).toBe(true);
    expect(depends('chunk-loader', 'streaming-cache')).toBe(true);
    expect(depends('engine-machines', 'chunk-loader')).toBe(true);
    expect(depends('engine-machines', 'streaming-buffer')).toBe(true);
    expect(graph.dependencies['streaming-buffer'].filter((d) => graph.nodes[d.target])).toEqual([]);
  });

  it('has no cycles', () => {
    const internal = (name: string) => (graph.dependencies[name] ?? []).map((d) => d.target).filter((t) => graph.nodes[t]);
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (name: string, trail: string[]) => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(name)), name].join(' → '));
        return;
      }
      state.set(name, 'visiting');
      for (const next of internal(name)) visit(next, [...trail, name]);
      state.set(name, 'done');
    };
    for (const name of Object.keys(graph.nodes)) visit(name, []);
    expect(cycles).toEqual([]);
  });
});
