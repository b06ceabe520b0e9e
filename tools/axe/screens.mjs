// Runs axe-core in headless Chromium over the example app screens and writes real axe
// results: clean.json (good screens), flawed.json (deliberately flawed screens), one result
// per screen in a list, plus crisis.json (a single result, not a list).
//
//   npm ci --prefix tools/axe && node tools/axe/screens.mjs
//
// The screens live in scripts/evidence_gen/screens/; they are served under a stable origin
// (https://app.p0-cloud.example/) so the results do not carry local paths.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";

const here = dirname(fileURLToPath(import.meta.url));
const screens = join(here, "..", "..", "scripts", "evidence_gen", "screens");
const out = join(here, "..", "..", "tests", "data", "axe");
const origin = "https://app.p0-cloud.example/";
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const sets = {
  clean: ["crisis.html", "home.html", "phq9.html"],
  flawed: ["crisis-flawed.html", "home-flawed.html", "phq9-flawed.html"],
};

async function scan(browser, name) {
  const page = await browser.newPage();
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const url = request.url();
    if (url.startsWith(origin)) {
      const file = url.slice(origin.length).split("?")[0] || "home.html";
      try {
        request.respond({ status: 200, contentType: "text/html; charset=utf-8",
                          body: readFileSync(join(screens, file)) });
      } catch {
        request.respond({ status: 404, body: "" });
      }
    } else {
      request.abort();
    }
  });
  await page.goto(origin + name, { waitUntil: "load" });
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document));
  await page.close();
  return result;
}

const profile = mkdtempSync(join(tmpdir(), "p0gate-axe-"));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  userDataDir: profile,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  for (const [set, names] of Object.entries(sets)) {
    const results = [];
    for (const name of names) results.push(await scan(browser, name));
    writeFileSync(join(out, `${set}.json`), JSON.stringify(results, null, 1) + "\n");
    const bad = results.map((r) => `${r.url}: ${r.violations.map((v) => v.id).join(" ") || "-"}`);
    console.log(`${set}.json\n  ${bad.join("\n  ")}`);
  }
  writeFileSync(join(out, "crisis.json"),
                JSON.stringify(await scan(browser, "crisis.html"), null, 1) + "\n");
} finally {
  await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
