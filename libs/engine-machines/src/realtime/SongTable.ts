import { MAX_PENDING_REGISTRATIONS, MAX_SONGS } from './mixerLimits.js';
import { MixSong } from './MixSong.js';
import type { SongRegistration } from './SongRegistration.js';

/**
 * The songs a mixer knows, in fixed slots, and the registrations waiting to join them. A
 * registration is built when it arrives (between render calls: it allocates the stems' readers)
 * and adopted, inside a render call and without allocating, once the commands posted before it
 * have been applied — so registrations and commands keep the order the control thread gave them,
 * however each travelled. Audio thread.
 */
export class SongTable {
  private readonly songs: (MixSong | null)[] = new Array<MixSong | null>(MAX_SONGS).fill(null);
  private readonly pending: (MixSong | null)[] = new Array<MixSong | null>(MAX_PENDING_REGISTRATIONS).fill(null);
  private readonly pendingAfter = new Float64Array(MAX_PENDING_REGISTRATIONS);

  /** Between render calls: builds the song; false when too many registrations wait (the caller retries later). */
  register(registration: SongRegistration, afterCommand: number): boolean {
    const slot = this.pending.indexOf(null);
    if (slot < 0) return false;
    this.pending[slot] = MixSong.fromRegistration(registration);
    this.pendingAfter[slot] = afterCommand;
    return true;
  }

  /** The registered song `instance`, or null. No allocation. */
  song(instance: number): MixSong | null {
    const songs = this.songs;
    for (let i = 0; i < songs.length; i++) {
      const song = songs[i];
      if (song !== null && song.instance === instance) return song;
    }
    return null;
  }

  /**
   * Adopts the registrations whose commands were applied. A song registered again (a fallback to
   * a whole decode) takes over its old self's position and counters, and `replaced(old, song)`
   * lets the mixer point its voices at the new one. When every slot is taken, one no voice uses
   * (`inUse`) is given up. No allocation.
   */
  adopt(commandsApplied: number, replaced: (old: MixSong, song: MixSong) => void, inUse: (song: MixSong) => boolean): void {
    const pending = this.pending;
    for (let p = 0; p < pending.length; p++) {
      const song = pending[p];
      if (song === null || this.pendingAfter[p] > commandsApplied) continue;
      pending[p] = null;
      const old = this.song(song.instance);
      if (old) {
        song.takeOver(old);
        replaced(old, song);
        this.songs[this.songs.indexOf(old)] = song;
      } else {
        const free = this.songs.indexOf(null);
        this.songs[free >= 0 ? free : this.reusableSlot(inUse)] = song;
      }
      song.publish();
    }
  }

  /** Forgets `song` (the control side unregistered it). */
  forget(song: MixSong): void {
    const slot = this.songs.indexOf(song);
    if (slot >= 0) this.songs[slot] = null;
  }

  private reusableSlot(inUse: (song: MixSong) => boolean): number {
    for (let i = 0; i < this.songs.length; i++) {
      const song = this.songs[i];
      if (song !== null && !inUse(song)) return i;
    }
    return 0;
  }
}
