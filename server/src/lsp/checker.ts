// The checker side of the language server: parsers, rules, catalogs, editor features and the
// LMTP client. The build bundles it on its own, as dist/server-checker.js beside
// dist/server.js, which loads it when the first file is opened (lsp/core.ts): start-up then
// neither runs nor even parses it.
export * from '../core/features';
export { finding } from '../core/diagnostic';
export { range } from '../core/text';
export { callout } from '../core/lmtp/callout';
export { parseTarget } from '../core/lmtp/target';
export { recipientError } from '../core/lmtp/address';
