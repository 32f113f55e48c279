/**
 * Stereo mixing coefficients for a stem of `channels` channels, as [L0, R0, L1, R1, ...].
 *
 * - 1 channel: to both sides at unit gain (a mono stem is centred, not attenuated, so a mix of mono
 *   stems at 0 dB equals their sum on each side).
 * - 2 channels: left to left, right to right.
 * - more: FLAC's channel order (FL FR FC LFE BL BR SL SR, as in the FLAC format's channel
 *   assignment table) folded ITU-R BS.775 style: fronts to their side, centre and surrounds at
 *   −3 dB (√½ ≈ 0.7071) to their side (centre to both), LFE dropped. 3 ch = FL FR FC;
 *   4 ch = FL FR BL BR; 5 ch = FL FR FC BL BR; 7 ch = FL FR FC LFE BC SL SR (BC to both at −3 dB).
 *
 * Control thread (called when a song's mix layout is built).
 */
export function stereoMatrix(channels: number): Float32Array {
  const m = new Float32Array(channels * 2);
  const h = Math.SQRT1_2;
  const set = (ch: number, left: number, right: number) => {
    m[ch * 2] = left;
    m[ch * 2 + 1] = right;
  };
  switch (channels) {
    case 1:
      set(0, 1, 1);
      break;
    case 2:
      set(0, 1, 0);
      set(1, 0, 1);
      break;
    case 3:
      set(0, 1, 0); set(1, 0, 1); set(2, h, h);
      break;
    case 4:
      set(0, 1, 0); set(1, 0, 1); set(2, h, 0); set(3, 0, h);
      break;
    case 5:
      set(0, 1, 0); set(1, 0, 1); set(2, h, h); set(3, h, 0); set(4, 0, h);
      break;
    case 6:
      set(0, 1, 0); set(1, 0, 1); set(2, h, h); set(3, 0, 0); set(4, h, 0); set(5, 0, h);
      break;
    case 7:
      set(0, 1, 0); set(1, 0, 1); set(2, h, h); set(3, 0, 0); set(4, h, h); set(5, h, 0); set(6, 0, h);
      break;
    default:
      // 8 (FLAC's maximum): FL FR FC LFE BL BR SL SR.
      set(0, 1, 0); set(1, 0, 1); set(2, h, h); set(3, 0, 0);
      for (let ch = 4; ch < channels; ch++) set(ch, ch % 2 === 0 ? h : 0, ch % 2 === 0 ? 0 : h);
  }
  return m;
}
