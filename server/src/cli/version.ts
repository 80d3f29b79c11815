// The version the CLI reports (--version, SARIF's tool.driver.version): package.json's, which
// a test holds this to, so the two never drift.
export const VERSION = '0.1.0';
