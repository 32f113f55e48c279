/** @packageDocumentation The reference command-line tools tests compare against: run when installed, skipped with a note locally, required under CI. */
export { hasTool, requireTool, ToolMissingError } from './requireTool.js';
export type { RequireToolContext } from './requireTool.js';
