import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const workspaceRoot = path.resolve(import.meta.dirname, '../../..');

export interface ProjectGraphFile {
  graph: {
    nodes: Record<string, { name: string; type: string; data: { root: string; tags?: string[] } }>;
    dependencies: Record<string, { source: string; target: string; type: string }[]>;
  };
}

/** Runs `nx graph --file=…` (the documented developer command) and returns the parsed graph. */
export function readProjectGraph(): ProjectGraphFile {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'trax-graph-')), 'graph.json');
  execFileSync(process.execPath, [path.join(workspaceRoot, 'tools/scripts/nx.mjs'), 'graph', `--file=${file}`], {
    cwd: workspaceRoot,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    stdio: 'pipe',
  });
  return JSON.parse(readFileSync(file, 'utf8'));
}

export interface DepConstraint {
  sourceTag: string;
  onlyDependOnLibsWithTags: string[];
}

/** The tag rules lint enforces, read from the workspace's ESLint config (single source of truth). */
export async function loadDepConstraints(): Promise<DepConstraint[]> {
  const config = await import(pathToFileURL(path.join(workspaceRoot, 'eslint.config.mjs')).href);
  return config.depConstraints;
}
