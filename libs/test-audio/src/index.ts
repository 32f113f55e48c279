/** @packageDocumentation test-audio */
export {};
