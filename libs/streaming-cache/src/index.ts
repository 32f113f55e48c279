/** @packageDocumentation streaming-cache */
export {};
