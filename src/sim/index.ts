export * from './assert.js';
export * from './dist.js';
export * from './queue.js';
export * from './rng.js';
export * from './simulator.js';
export * from './stats.js';
export * from './trace.js';
export * from './typed.js';
