import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseResumeJournal } from './parseResumeJournal.js';
import { serializeResumeJournal, type ResumeJournal } from './ResumeJournal.js';
import { ResumeJournalError } from './ResumeJournalError.js';

const journal: ResumeJournal = {
  setlist: { source: '/gigs/friday.json', name: 'Friday' },
  song: '2-ballad',
  position: { frame: 4_320_000, sampleRate: 48_000, bar: 46 },
  playing: true,
  mix: [
    { stem: 'click', gainDb: -6, muted: true, solo: false },
    { stem: 'keys', gainDb: 1.5, muted: false, solo: true },
  ],
  loop: { start: 4_224_000, end: 4_608_000, section: 'Chorus' },
  savedAt: '2025-05-02T21:14:03.120Z',
};

const problemOf = (text: string): ResumeJournalError => {
  try {
    parseResumeJournal(text, '/state/resume.json');
  } catch (error) {
    expect(error).toBeInstanceOf(ResumeJournalError);
    return error as ResumeJournalError;
  }
  throw new Error('expected the journal to be refused');
};
const edit = (change: (data: Record<string, unknown>) => void): string => {
  const data = JSON.parse(serializeResumeJournal(journal));
  change(data);
  return JSON.stringify(data);
};

describe('resume journal', () => {
  it('round-trips through its versioned JSON', () => {
    const text = serializeResumeJournal(journal);
    expect(JSON.parse(text)).toMatchObject({ format: 'trax-resume-journal', version: 1 });
    expect(parseResumeJournal(text, 'x')).toEqual(journal);
    const minimal: ResumeJournal = { ...journal, position: { frame: 0, sampleRate: 44_100 }, mix: [], loop: undefined };
    delete (minimal as { loop?: unknown }).loop;
    expect(parseResumeJournal(serializeResumeJournal(minimal), 'x')).toEqual(minimal);
  });

  it.each([
    ['empty text', '', '$', /is not valid JSON/],
    ['a cut-short file', serializeResumeJournal(journal).slice(0, 60), '$', /is not valid JSON/],
    ['another JSON file', '{ "name": "Friday", "songs": [] }', '$.format', /not a Trax resume journal/],
    ['a newer version', edit((d) => (d.version = 2)), '$.version', /written by a newer Trax \(version 2; this one reads 1\)/],
    ['a version that is not a number', edit((d) => (d.version = '1')), '$.version', /must be 1/],
    ['no setlist', edit((d) => delete d.setlist), '$.setlist', /must be an object/],
    ['an empty setlist source', edit((d) => ((d.setlist as Record<string, unknown>).source = '')), '$.setlist.source', /non-empty string/],
    ['no song', edit((d) => delete d.song), '$.song', /non-empty string/],
    ['a fractional frame', edit((d) => ((d.position as Record<string, unknown>).frame = 10.5)), '$.position.frame', /whole number >= 0/],
    ['a negative frame', edit((d) => ((d.position as Record<string, unknown>).frame = -1)), '$.position.frame', /whole number >= 0/],
    ['a zero sample rate', edit((d) => ((d.position as Record<string, unknown>).sampleRate = 0)), '$.position.sampleRate', /> 0/],
    ['bar 0', edit((d) => ((d.position as Record<string, unknown>).bar = 0)), '$.position.bar', /numbered from 1/],
    ['playing as a string', edit((d) => (d.playing = 'yes')), '$.playing', /true or false/],
    ['mix not an array', edit((d) => (d.mix = {})), '$.mix', /must be an array/],
    ['a gain that is not a number', edit((d) => ((d.mix as Record<string, unknown>[])[1].gainDb = null)), '$.mix[1].gainDb', /finite number of decibels/],
    ['a solo that is not a boolean', edit((d) => ((d.mix as Record<string, unknown>[])[0].solo = 1)), '$.mix[0].solo', /true or false/],
    ['a loop ending before it starts', edit((d) => ((d.loop as Record<string, unknown>).end = 4_000_000)), '$.loop.end', /after the loop's start \(4224000\)/],
    ['a bad date', edit((d) => (d.savedAt = 'yesterday')), '$.savedAt', /ISO 8601/],
  ])('refuses %s, naming the file and the JSON path', (_label, text, jsonPath, problem) => {
    const error = problemOf(text);
    expect(error.file).toBe('/state/resume.json');
    expect(error.jsonPath).toBe(jsonPath);
    expect(error.problem).toMatch(problem);
    expect(error.message).toBe(`/state/resume.json: ${jsonPath}: ${error.problem}; starting without resuming`);
  });

  it('refuses every cut-short prefix of a journal, with a ResumeJournalError', () => {
    const text = serializeResumeJournal(journal);
    fc.assert(fc.property(fc.integer({ min: 0, max: text.length - 3 }), (length) => void problemOf(text.slice(0, length))));
  });
});
