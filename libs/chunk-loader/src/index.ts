/** @packageDocumentation chunk-loader */
export {};
