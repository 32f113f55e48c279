/** @packageDocumentation flac-encoder */
export {};
