/** @module The public programmatic API of invscale. */
export type * from "./backends/types.js";
export type * from "./engine/types.js";
export type * from "./ladders/types.js";
export * from "./run/manifest.js";
export type * from "./tasks/types.js";
export { version } from "./version.js";
