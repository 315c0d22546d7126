// The progress line of long commands (drawn on stderr when it is a terminal): see terminal.ts.

export { progressBar, type Progress } from './terminal.js';
