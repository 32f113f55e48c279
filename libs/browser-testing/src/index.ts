/** @packageDocumentation Test harness for browser tests: headless Chromium, a static server with ranges and cross-origin isolation, browser bundles. */
export { launchChromium, chromiumAvailable, chromiumPath, CHROMIUM_FLAGS, DEFAULT_CHROMIUM } from './launchChromium.js';
export type { LaunchChromiumOptions, LaunchedChromium } from './launchChromium.js';
export { serveStatic, ISOLATION_HEADERS } from './serveStatic.js';
export type { Route, RouteHandler, ServeStaticOptions, ServedRequest, StaticServer } from './serveStatic.js';
export { sendFile, contentTypeOf } from './sendFile.js';
export type { SendFileOptions } from './sendFile.js';
export { parseRange } from './byteRange.js';
export type { RangeRequest } from './byteRange.js';
export { bundleForBrowser, asRoutes } from './bundleForBrowser.js';
export type { BrowserBundleOptions } from './bundleForBrowser.js';
