declare const __PACKAGE_VERSION__: string | undefined;

/** This package's version, injected at build time. */
export const VERSION: string = typeof __PACKAGE_VERSION__ === 'string' ? __PACKAGE_VERSION__ : '0.0.0-dev';

/** The User-Agent sent with every request unless the headers option overrides it. */
export const USER_AGENT = `deltav-source-http/${VERSION}`;
