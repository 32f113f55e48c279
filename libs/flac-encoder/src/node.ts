/**
 * @packageDocumentation Node's faster MD5 for the encoder (`node:crypto`): pass `md5: nodeMd5` in
 * the options of `encodeFlac` / `FlacStreamEncoder` (from `@trax/flac-encoder`) when running in Node.
 */
export { nodeMd5 } from './nodeMd5.js';
