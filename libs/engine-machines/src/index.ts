/** @packageDocumentation XState v5 actors for the Trax playback engine, and setlists. */
export { loadSetlist } from './setlist/loadSetlist.js';
export { validateSetlistJson, unsafeIdReason } from './setlist/validateSetlist.js';
export type { UnresolvedSetlist } from './setlist/validateSetlist.js';
export { SetlistError } from './setlist/SetlistError.js';
export type { SetlistProblem } from './setlist/SetlistError.js';
export type { Setlist, SongSpec, StemSpec, Decibels } from './setlist/setlistTypes.js';
