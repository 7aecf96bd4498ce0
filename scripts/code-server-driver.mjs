// The code-server + Chromium driver shared by the editor tests (scripts/run-vscode-tests.mjs) and the
// README screenshots (scripts/screenshots.mjs): install, start code-server on a free loopback port,
// launch Debian's chromium through playwright-core and open the workbench on a folder.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './integration-tests-bundle.mjs';

export const HOST = '127.0.0.1';
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

/** code-server's entry.js, or { skip: reason } when it cannot be installed here. Exits on a real failure. */
export function installCodeServer() {
  const result = spawnSync('bash', [join(repoRoot, 'scripts', 'install-code-server.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (result.status === 3) return { skip: 'code-server prerequisites cannot be installed here (see message above)' };
  if (result.status !== 0) {
    console.error(`install-code-server.sh failed (exit ${result.status})`);
    process.exit(1);
  }
  const entry = result.stdout.trim().split('\n').pop();
  if (!entry || !existsSync(entry)) {
    console.error(`install-code-server.sh printed no usable entry path: ${result.stdout}`);
    process.exit(1);
  }
  return { entry };
}

export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

export async function waitForHealthz(port, serverExited) {
  const deadline = Date.now() + 60000;
  while (Date.now() < deadline) {
    if (serverExited()) return false;
    try {
      const response = await fetch(`http://${HOST}:${port}/healthz`);
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Starts code-server with its state under `data`. Returns { port, process, output(), exitCode(), stop() };
 * rejects when it does not come up.
 */
export async function startCodeServer({
  codeServerEntry,
  data,
  extensionsDir,
  env = {},
  onOutput,
  trustWorkspace = true,
}) {
  const configFile = join(data, 'config.yaml');
  writeFileSync(configFile, '');
  const temporary = join(data, 'tmp');
  mkdirSync(temporary);
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [
      codeServerEntry,
      '--config',
      configFile,
      '--bind-addr',
      `${HOST}:${port}`,
      '--auth',
      'none',
      '--user-data-dir',
      join(data, 'user-data'),
      '--extensions-dir',
      extensionsDir ?? join(data, 'extensions'),
      '--disable-telemetry',
      '--disable-update-check',
      ...(trustWorkspace ? ['--disable-workspace-trust'] : []),
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...env,
        // code-server writes heartbeat/config/logs under the XDG dirs whatever --user-data-dir says
        XDG_DATA_HOME: join(data, 'xdg-data'),
        XDG_CONFIG_HOME: join(data, 'xdg-config'),
        XDG_CACHE_HOME: join(data, 'xdg-cache'),
        // and its IPC sockets under the temporary folder, left behind when it is stopped
        TMPDIR: temporary,
      },
    },
  );
  let output = '';
  let exitCode;
  const collect = (chunk) => {
    output += chunk;
    onOutput?.(chunk);
  };
  server.stdout.on('data', collect);
  server.stderr.on('data', collect);
  server.on('exit', (code) => {
    exitCode = code ?? -1;
  });
  const stop = async () => {
    server.kill('SIGTERM');
    await new Promise((r) => (exitCode !== undefined ? r() : server.once('exit', r)));
  };
  if (!(await waitForHealthz(port, () => exitCode !== undefined))) {
    await stop();
    throw new Error(`code-server did not come up (exit ${exitCode}):\n${output.slice(-4000)}`);
  }
  return { port, output: () => output, stop };
}

export async function launchChromium(viewport) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  const page = await browser.newPage(viewport ? { viewport } : {});
  return { browser, page };
}

/**
 * VS Code >= ~1.10x only honours extensionDevelopmentPath/extensionTestsPath from the URL payload when
 * developmentOptions.enableSmokeTestDriver is set; code-server has no flag for it, so flip it where the
 * workbench reads its configuration (rewriting the HTML with page.route breaks the web sockets).
 */
export async function enableDevelopmentPayload(page) {
  await page.addInitScript(() => {
    const getAttribute = Element.prototype.getAttribute;
    Element.prototype.getAttribute = function patchedGetAttribute(attribute) {
      const value = getAttribute.call(this, attribute);
      if (attribute === 'data-settings' && this.id === 'vscode-workbench-web-configuration' && value) {
        const config = JSON.parse(value);
        config.developmentOptions = { ...(config.developmentOptions || {}), enableSmokeTestDriver: true };
        return JSON.stringify(config);
      }
      return value;
    };
  });
}

/** The workbench URL on `folder` with a payload of [name, value] pairs (paths given as remote paths). */
export function workbenchUrl(port, folder, payload) {
  const remote = (path) => `vscode-remote://${HOST}:${port}${path}`;
  const entries = payload.map(([name, value]) => [name, name.endsWith('Path') ? remote(value) : value]);
  return `http://${HOST}:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(entries))}`;
}
