/**
 * A jump, loop or count-in the song cannot do as asked: a section it does not have, a musical
 * boundary without a tempo, a landing after the song's end. `reason` is for the performer.
 */
export class NavigationError extends Error {
  override readonly name = 'NavigationError';
  constructor(
    readonly song: string,
    readonly reason: string,
  ) {
    super(`${song}: ${reason}`);
  }
}
