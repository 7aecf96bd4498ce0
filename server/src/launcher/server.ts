// dist/server.js, the language server: starts the server bundle (dist/server-main.js) through the code cache.
import * as path from 'node:path';
import { loadCached } from './codeCache';

loadCached(path.join(__dirname, 'server-main.js'));
