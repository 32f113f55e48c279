/** @packageDocumentation chunk-decoder */
export {};
