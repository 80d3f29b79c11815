// The version both shells report (the CLI's --version and SARIF output, the server's
// serverInfo): package.json's, which test/unit/cli-dist.test.ts holds this to.
export const VERSION = '0.1.0';
