import { describe, expect, it } from '@jest/globals';
import { parseScript, ScriptError } from './playScript.js';

describe('parseScript', () => {
  it('reads the navigation actions: jump (when defaults to now), cancel-jump, loop by section or seconds, release (defaults to atLoopEnd)', () => {
    expect(
      parseScript(
        [
          { at: 1, do: 'jump', to: 'Chorus', when: 'nextBar' },
          { at: 2, do: 'jump', to: 90 },
          { at: 3, do: 'jump', to: 'Outro', when: { afterBars: 2 } },
          { at: 4, do: 'cancel-jump' },
          { at: 5, do: 'loop', section: 'Chorus' },
          { at: 6, do: 'loop', from: 2, to: 6 },
          { at: 7, do: 'release' },
          { at: 8, do: 'release', when: 'now' },
        ],
        's.json',
      ),
    ).toEqual([
      { at: 1, do: 'jump', to: 'Chorus', when: 'nextBar' },
      { at: 2, do: 'jump', to: 90, when: 'now' },
      { at: 3, do: 'jump', to: 'Outro', when: { afterBars: 2 } },
      { at: 4, do: 'cancel-jump' },
      { at: 5, do: 'loop', loop: { section: 'Chorus' } },
      { at: 6, do: 'loop', loop: { from: 2, to: 6 } },
      { at: 7, do: 'release', when: 'atLoopEnd' },
      { at: 8, do: 'release', when: 'now' },
    ]);
  });

  it.each([
    [{ at: 0, do: 'jump' }, '$[0].to: "jump" needs "to": a section name or seconds >= 0'],
    [{ at: 0, do: 'jump', to: 'A', when: 'soon' }, '$[0].when: must be one of "now", "nextBeat", "nextBar", "sectionEnd" or { "afterBars": n } (n a whole number >= 1)'],
    [{ at: 0, do: 'jump', to: 'A', when: { afterBars: 0 } }, '$[0].when: must be one of "now", "nextBeat", "nextBar", "sectionEnd" or { "afterBars": n } (n a whole number >= 1)'],
    [{ at: 0, do: 'loop' }, '$[0].from: "loop" needs "section", or "from" and "to": seconds >= 0'],
    [{ at: 0, do: 'loop', from: 4, to: 2 }, '$[0].to: "loop" needs "to": seconds after "from"'],
    [{ at: 0, do: 'loop', section: '' }, '$[0].section: "loop" needs "section": a section name (or "from" and "to" in seconds)'],
    [{ at: 0, do: 'release', when: 'later' }, '$[0].when: must be "now" or "atLoopEnd"'],
    [{ at: 0, do: 'vamp' }, '$[0].do: must be one of seek, play-song, pause, play, mute, unmute, solo, unsolo, gain, jump, cancel-jump, loop, release'],
  ])('refuses %j naming the field', (action, message) => {
    expect(() => parseScript([action], 's.json')).toThrow(new ScriptError('s.json', message.split(': ')[0], message.slice(message.indexOf(': ') + 2)));
  });
});
