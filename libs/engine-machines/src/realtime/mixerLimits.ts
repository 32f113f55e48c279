/** FLAC's maximum channel count. */
export const MAX_STEM_CHANNELS = 8;
/** Songs the mixer knows at once (playing, fading, armed, prepared, retiring: a handful in practice). */
export const MAX_SONGS = 32;
/** Registrations waiting for their turn among the commands. */
export const MAX_PENDING_REGISTRATIONS = 16;

/**
 * Longest quantum rendered in one piece (longer calls are split and count as several quanta):
 * 4096 frames ≈ 85 ms at 48 kHz, far above the 128-frame quantum of Web Audio and sound cards.
 */
export const MAX_QUANTUM_FRAMES = 4096;
