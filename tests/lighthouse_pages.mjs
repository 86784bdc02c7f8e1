// Lighthouse's mobile preset (its default) on each address given, one after another in one
// Chromium: the runs `lighthouse <url>` would make, without starting Node, Lighthouse and
// Chromium again for every page. Each run resets the page's storage and caches, as the
// command does.
//
// Usage: CHROME_PATH=/usr/bin/chromium node tests/lighthouse_pages.mjs OUT_DIR URL...
// Writes OUT_DIR/0.json, OUT_DIR/1.json ... (the reports, in the order of the addresses).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const [out, ...urls] = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
try {
  for (const [i, url] of urls.entries()) {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
      // A picture of the whole page that no audit scores (about 12 % of the CPU).
      disableFullPageScreenshot: true,
    });
    writeFileSync(join(out, `${i}.json`), result.report);
  }
} finally {
  chrome.kill();
}
