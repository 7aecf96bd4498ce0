// The language server's entry point (dist/server.js): a connection over the transport the client chose.
// Over stdio, messages go out through our writer, and console output goes to stderr, away from the protocol.
import { Console } from 'node:console';
import { createConnection, ProposedFeatures, type Connection, type MessageReader } from 'vscode-languageserver/node';
import { lowerHelperThreads } from './helperThreads';
import { startServer } from './server';
import { StdioMessageWriter } from './stdioWriter';

function stdioConnection(): Connection {
  globalThis.console = new Console({ stdout: process.stderr, stderr: process.stderr });
  // The library reads a stream input itself, and exits when it ends; its typings pair a stream only with a stream.
  const input = process.stdin as unknown as MessageReader;
  return createConnection(ProposedFeatures.all, input, new StdioMessageWriter(process.stdout));
}

lowerHelperThreads();
startServer(process.argv.includes('--stdio') ? stdioConnection() : createConnection(ProposedFeatures.all));
