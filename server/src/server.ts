// Language server entry point (dist/server.js --stdio). Filled in by the LSP layer.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
const connection = createConnection(ProposedFeatures.all);
connection.onInitialize(() => ({ capabilities: {} }));
connection.listen();
