/** @packageDocumentation streaming-buffer */
export {};
