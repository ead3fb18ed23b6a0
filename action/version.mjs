// Deliverybot's version, package.json's. scripts/build.sh writes it into the bundles (esbuild
// --define), so `deliverybot --version` and the user agent read no file at run time; the sources,
// imported unbundled (as some tests do), say `dev`.

/* global DELIVERYBOT_VERSION */
export const VERSION = typeof DELIVERYBOT_VERSION === 'string' ? DELIVERYBOT_VERSION : 'dev';
