import type { Seconds } from '../units.js';

/** `m:ss.sss`, as a performer reads a song position (75.5 → "1:15.500"). */
export function formatClock(seconds: Seconds): string {
  const minutes = Math.floor(seconds / 60);
  return `${minutes}:${(seconds - minutes * 60).toFixed(3).padStart(6, '0')}`;
}
