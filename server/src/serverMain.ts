// The language server's entry point (dist/server.js): a connection over the transport the client chose.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
