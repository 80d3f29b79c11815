// The callout side of the language server: the LMTP session and what it checks its
// arguments with. Only a callout needs it, so the build bundles it on its own, as
// dist/server-callout.js, which the server loads at the first callout command (lsp/core.ts):
// opening a file reads neither it nor the sockets it needs. Discovery of callout targets
// stays with the checker: the link rules read the same facts.
export { callout } from '../core/lmtp/callout';
export { parseTarget } from '../core/lmtp/target';
export { recipientError } from '../core/lmtp/address';
