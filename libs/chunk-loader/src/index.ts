/** @packageDocumentation chunk-loader */
export { PriorityScheduler } from './scheduler/PriorityScheduler.js';
