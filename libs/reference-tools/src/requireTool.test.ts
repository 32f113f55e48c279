import { describe, expect, it } from '@jest/globals';
import { hasTool, requireTool, ToolMissingError, type RequireToolContext } from './requireTool.js';

function context(installed: boolean, env: Record<string, string | undefined>): RequireToolContext & { notes: string[] } {
  const notes: string[] = [];
  return { env, has: () => installed, warn: (message) => void notes.push(message), notes };
}

describe('requireTool', () => {
  it('is true when the tool is installed, under CI or not, and says nothing', () => {
    for (const env of [{ CI: 'true' }, { CI: undefined }]) {
      const here = context(true, env);
      expect(requireTool('flac', here)).toBe(true);
      expect(here.notes).toEqual([]);
    }
  });

  it('fails under CI when the tool is missing, naming it and the package to install', () => {
    const here = context(false, { CI: 'true' });
    expect(() => requireTool('metaflac', here)).toThrow(ToolMissingError);
    expect(() => requireTool('metaflac', here)).toThrow('metaflac is required under CI (CI=true) but is not installed: apt-get install flac');
  });

  it('skips with one visible note when the tool is missing outside CI', () => {
    for (const env of [{ CI: undefined }, { CI: 'false' }]) {
      const here = context(false, env);
      expect(requireTool('flac', here)).toBe(false);
      expect(here.notes).toEqual(['flac is not installed: tests that compare against it are skipped (apt-get install flac; under CI they fail)']);
    }
  });
});

describe('hasTool', () => {
  it('finds a command that runs (node itself) and not one that does not exist', () => {
    expect(hasTool(process.execPath)).toBe(true);
    expect(hasTool('trax-no-such-tool-7f3a')).toBe(false);
  });
});
