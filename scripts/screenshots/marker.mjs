// Screenshots requested by the editor tests: a test prints `DOVECOT-SCREENSHOT <absolute .png path>`
// (test/integration/replication.test.ts) and waits for the file; the runner saves the workbench there.
export const SCREENSHOT_MARKER = 'DOVECOT-SCREENSHOT';

/** If `message` (a workbench log line) asks for a screenshot, saves the page to the path it names; true if it did. */
export async function screenshotOnMarker(page, message) {
  const match = new RegExp(`${SCREENSHOT_MARKER} (\\S+\\.png)`).exec(message);
  if (!match) return false;
  // Let the view finish rendering the tree it was just given.
  await page.waitForTimeout(500);
  await page.screenshot({ path: match[1] });
  return true;
}
