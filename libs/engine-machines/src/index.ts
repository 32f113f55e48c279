/** @packageDocumentation engine-machines */
export {};
