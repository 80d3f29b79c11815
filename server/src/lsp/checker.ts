// The checker side of the language server: parsers, rules, catalogs and editor features.
// The build bundles it on its own, as dist/server-checker.js beside dist/server.js, which
// loads it when the first file is opened (lsp/core.ts): start-up then neither runs nor even
// parses it. The LMTP session is not here but in lsp/lmtp.ts, loaded at the first callout.
export * from '../core/features';
export { finding } from '../core/diagnostic';
export { range } from '../core/text';
export { assembleDebianConfig } from '../core/assemble';
export { bytesDiskHost } from '../core/host';
