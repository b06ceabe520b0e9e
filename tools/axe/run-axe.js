// Run axe-core on a local HTML file in headless Chromium and print the result JSON.
// usage: node run-axe.js FILE.html [CHROMIUM]   (CHROMIUM defaults to /usr/bin/chromium)
"use strict";
const path = require("node:path");
const puppeteer = require("puppeteer-core");
const axeSource = require("axe-core").source;

async function main() {
  const [file, browserPath = "/usr/bin/chromium"] = process.argv.slice(2);
  if (!file) throw new Error("usage: node run-axe.js FILE.html [CHROMIUM]");
  const browser = await puppeteer.launch({
    executablePath: browserPath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    const page = await browser.newPage();
    await page.goto("file://" + path.resolve(file), { waitUntil: "load" });
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(() => window.axe.run(document));
    process.stdout.write(JSON.stringify(result));
  } finally {
    await browser.close();
  }
}

main().catch((err) => { console.error(String(err)); process.exit(2); });
