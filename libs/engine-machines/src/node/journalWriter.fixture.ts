// Run by nodeJournalStore.test.ts in a child process (tsx): writes journals to argv[2] as fast as
// it can, each with a different number of stems (so sizes differ and a torn write would show),
// prints "ready" after the first write and runs until killed.
import { serializeResumeJournal, type ResumeJournal } from '../journal/ResumeJournal.js';
import { nodeJournalStore } from './nodeJournalStore.js';

const store = nodeJournalStore(process.argv[2]);
const journal = (n: number): ResumeJournal => ({
  setlist: { source: '/gigs/friday.json', name: 'Friday' },
  song: `song-${n % 7}`,
  position: { frame: n * 128, sampleRate: 48_000, bar: 1 + (n % 200) },
  playing: n % 2 === 0,
  mix: Array.from({ length: 1 + ((n * 37) % 120) }, (_, i) => ({ stem: `stem-${i}`, gainDb: -(i % 12), muted: i % 3 === 0, solo: i % 5 === 0 })),
  ...(n % 4 === 0 ? { loop: { start: n * 128, end: n * 128 + 96_000, section: 'Chorus' } } : {}),
  savedAt: new Date(1_700_000_000_000 + n).toISOString(),
});

for (let n = 0; ; n++) {
  await store.write(serializeResumeJournal(journal(n)));
  if (n === 0) process.stdout.write('ready\n');
}
