import { describe, expect, it } from '@jest/globals';
import { validateSetlistJson } from './validateSetlist.js';

const stems = [{ id: 'a', path: 'a.flac' }];
/** Validates a one-song setlist whose song has `fields`. */
const check = (fields: Record<string, unknown>) => validateSetlistJson({ name: 'n', songs: [{ id: 's', stems, ...fields }] });
const songOf = (fields: Record<string, unknown>) => {
  const { setlist, problems } = check(fields);
  expect(problems).toEqual([]);
  return setlist.songs[0];
};

describe('song musical fields', () => {
  it('are all optional: a song without them has none', () => {
    const song = songOf({});
    expect(song).toEqual({ id: 's', title: 's', stems: [{ id: 'a', path: 'a.flac', gainDb: 0 }] });
  });

  it('tempo + timeSignature become a one-entry tempo map; the signature defaults to 4/4', () => {
    expect(songOf({ tempo: 120, timeSignature: '6/8' }).tempoMap).toEqual([{ at: 0, bpm: 120, beatsPerBar: 6, beatUnit: 8 }]);
    expect(songOf({ tempo: 92.5 }).tempoMap).toEqual([{ at: 0, bpm: 92.5, beatsPerBar: 4, beatUnit: 4 }]);
    expect(songOf({ tempo: 100, timeSignature: ' 7 / 8 ' }).tempoMap?.[0].beatsPerBar).toBe(7);
  });

  it('a tempo map keeps its entries; beatUnit defaults to 4', () => {
    const tempoMap = [
      { at: 0, bpm: 120, beatsPerBar: 4 },
      { at: 8, bpm: 90, beatsPerBar: 3, beatUnit: 8 },
    ];
    expect(songOf({ tempoMap }).tempoMap).toEqual([
      { at: 0, bpm: 120, beatsPerBar: 4, beatUnit: 4 },
      { at: 8, bpm: 90, beatsPerBar: 3, beatUnit: 8 },
    ]);
  });

  it('sections, count-in and every transition shape', () => {
    const sections = [
      { name: 'Intro', at: 0 },
      { name: 'Verse 1', at: 12.5 },
      { name: 'Chorus', at: 40 },
    ];
    expect(songOf({ sections }).sections).toEqual(sections);
    expect(songOf({ tempo: 100, countIn: 2 }).countIn).toBe(2);
    expect(songOf({ countIn: 0 }).countIn).toBe(0);
    expect(songOf({ transition: 'gapless' }).transition).toEqual({ kind: 'gapless' });
    expect(songOf({ transition: 'stop' }).transition).toEqual({ kind: 'stop' });
    expect(songOf({ transition: { gap: 2 } }).transition).toEqual({ kind: 'gap', seconds: 2 });
    expect(songOf({ transition: { gap: 0 } }).transition).toEqual({ kind: 'gap', seconds: 0 });
    expect(songOf({ transition: { crossfade: 4 } }).transition).toEqual({ kind: 'crossfade', seconds: 4 });
  });

  it.each([
    ['tempo not a number', { tempo: '120' }, '$.songs[0].tempo', /beats per minute from 1 to 999/],
    ['tempo 0', { tempo: 0 }, '$.songs[0].tempo', /from 1 to 999/],
    ['tempo 1000', { tempo: 1000 }, '$.songs[0].tempo', /from 1 to 999/],
    ['time signature without tempo', { timeSignature: '4/4' }, '$.songs[0].timeSignature', /needs a "tempo"/],
    ['time signature as a number', { tempo: 90, timeSignature: 4 }, '$.songs[0].timeSignature', /such as "4\/4"/],
    ['time signature 4/5', { tempo: 90, timeSignature: '4/5' }, '$.songs[0].timeSignature', /denominator 5: must be one of 1, 2, 4, 8, 16, 32/],
    ['time signature 0/4', { tempo: 90, timeSignature: '0/4' }, '$.songs[0].timeSignature', /numerator 0: must be a whole number of beats from 1 to 64/],
    ['tempo and tempoMap', { tempo: 90, tempoMap: [{ at: 0, bpm: 90, beatsPerBar: 4 }] }, '$.songs[0].tempoMap', /either "tempo".*or "tempoMap", not both/],
    ['timeSignature with tempoMap', { timeSignature: '3/4', tempoMap: [{ at: 0, bpm: 90, beatsPerBar: 4 }] }, '$.songs[0].timeSignature', /beatsPerBar/],
    ['empty tempo map', { tempoMap: [] }, '$.songs[0].tempoMap', /non-empty array/],
    ['tempo map entry not an object', { tempoMap: [120] }, '$.songs[0].tempoMap[0]', /must be an object/],
    ['tempo map starting late', { tempoMap: [{ at: 1, bpm: 90, beatsPerBar: 4 }] }, '$.songs[0].tempoMap[0].at', /must be 0: the first tempo map entry starts bar 1/],
    ['tempo map bpm missing', { tempoMap: [{ at: 0, beatsPerBar: 4 }] }, '$.songs[0].tempoMap[0].bpm', /beats per minute/],
    ['tempo map beatsPerBar 2.5', { tempoMap: [{ at: 0, bpm: 90, beatsPerBar: 2.5 }] }, '$.songs[0].tempoMap[0].beatsPerBar', /whole number/],
    ['tempo map beatUnit 3', { tempoMap: [{ at: 0, bpm: 90, beatsPerBar: 4, beatUnit: 3 }] }, '$.songs[0].tempoMap[0].beatUnit', /one of 1, 2, 4/],
    [
      'tempo map out of order',
      { tempoMap: [{ at: 0, bpm: 120, beatsPerBar: 4 }, { at: 10, bpm: 90, beatsPerBar: 4 }, { at: 10, bpm: 80, beatsPerBar: 4 }] },
      '$.songs[0].tempoMap[2].at',
      /must be after the previous entry \(at 10 s\): entries are sorted by time/,
    ],
    [
      'tempo change less than a beat after the previous',
      { tempoMap: [{ at: 0, bpm: 120, beatsPerBar: 4 }, { at: 0.4, bpm: 90, beatsPerBar: 4 }] },
      '$.songs[0].tempoMap[1].at',
      /at least one beat \(0\.5 s at 120 BPM\) after the previous entry \(at 0 s\)/,
    ],
    ['sections not an array', { sections: { Intro: 0 } }, '$.songs[0].sections', /must be an array/],
    ['section without a name', { sections: [{ at: 0 }] }, '$.songs[0].sections[0].name', /non-empty string/],
    ['section with a blank name', { sections: [{ name: '  ', at: 0 }] }, '$.songs[0].sections[0].name', /non-empty string/],
    ['section name with a control character', { sections: [{ name: 'a\nb', at: 0 }] }, '$.songs[0].sections[0].name', /control character/],
    ['section at negative', { sections: [{ name: 'A', at: -1 }] }, '$.songs[0].sections[0].at', /seconds >= 0/],
    [
      'sections out of order',
      { sections: [{ name: 'A', at: 10 }, { name: 'B', at: 5 }] },
      '$.songs[0].sections[1].at',
      /must be after the previous section \(at 10 s\)/,
    ],
    [
      'duplicate section names',
      { sections: [{ name: 'Chorus', at: 10 }, { name: 'Chorus', at: 50 }] },
      '$.songs[0].sections[1].name',
      /duplicate section name "Chorus"/,
    ],
    ['count-in without tempo', { countIn: 2 }, '$.songs[0].countIn', /needs a tempo/],
    ['count-in 1.5 bars', { tempo: 90, countIn: 1.5 }, '$.songs[0].countIn', /whole number of bars/],
    ['count-in negative', { tempo: 90, countIn: -1 }, '$.songs[0].countIn', /whole number of bars/],
    ['transition unknown word', { transition: 'fade' }, '$.songs[0].transition', /"gapless", "stop", \{ "gap": seconds \} or \{ "crossfade": seconds \}/],
    ['transition with two keys', { transition: { gap: 1, crossfade: 2 } }, '$.songs[0].transition', /"gapless", "stop"/],
    ['transition gap negative', { transition: { gap: -1 } }, '$.songs[0].transition.gap', /seconds >= 0/],
    ['transition crossfade 0', { transition: { crossfade: 0 } }, '$.songs[0].transition.crossfade', /seconds > 0/],
    ['transition crossfade a string', { transition: { crossfade: '4' } }, '$.songs[0].transition.crossfade', /seconds > 0/],
  ])('reports %s at its JSON path', (_label, fields, jsonPath, problem) => {
    const { problems } = check(fields);
    expect(problems).toHaveLength(1);
    expect(problems[0].jsonPath).toBe(jsonPath);
    expect(problems[0].problem).toMatch(problem);
  });

  it('reports every problem of every song at once', () => {
    const { problems } = validateSetlistJson({
      name: 'n',
      songs: [
        { id: 'a', stems, tempo: -1, sections: [{ name: 'X', at: 5 }, { name: 'X', at: 1 }] },
        { id: 'b', stems, countIn: 4, transition: 'crossfade' },
      ],
    });
    expect(problems.map((p) => p.jsonPath)).toEqual([
      '$.songs[0].tempo',
      '$.songs[0].sections[1].name',
      '$.songs[0].sections[1].at',
      '$.songs[1].countIn',
      '$.songs[1].transition',
    ]);
  });
});

describe('stem locations', () => {
  it('keeps http(s) URLs as written', () => {
    const { setlist, problems } = validateSetlistJson({
      name: 'n',
      songs: [{ id: 's', stems: [{ id: 'a', path: 'https://band.example/gig/a.flac' }, { id: 'b', path: 'HTTP://10.0.0.2:8080/b.flac' }] }],
    });
    expect(problems).toEqual([]);
    expect(setlist.songs[0].stems.map((s) => s.path)).toEqual(['https://band.example/gig/a.flac', 'HTTP://10.0.0.2:8080/b.flac']);
  });

  it.each([
    ['another scheme', 'ftp://band.example/a.flac', /only http:\/\/ and https:\/\/ URLs are supported/],
    ['a file URL', 'file:///home/a.flac', /only http:\/\/ and https:\/\//],
    ['a URL without a host', 'http://', /not a valid URL/],
    ['a malformed URL', 'http://exa mple/a.flac', /not a valid URL/],
  ])('refuses %s', (_label, location, problem) => {
    const { problems } = validateSetlistJson({ name: 'n', songs: [{ id: 's', stems: [{ id: 'a', path: location }] }] });
    expect(problems).toHaveLength(1);
    expect(problems[0].jsonPath).toBe('$.songs[0].stems[0].path');
    expect(problems[0].problem).toMatch(problem);
  });
});
