// What every page script shares: Debian's Chromium started headless, and signing in to the page with a key by pasting it
// into the sign-in dialog. Page errors are collected in `errors`.
import { chromium } from "playwright-core";

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync"],
  });
}

export async function openSignedIn(baseUrl, apiKey) {
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(baseUrl);
    await page.waitForSelector("#signin[open]", { timeout: 20000 });
    await page.fill("#signin-key", apiKey);
    await page.click("#signin-form button[type=submit]");
    await page.waitForSelector("body[data-ready=true]", { timeout: 20000 });
    return { browser, page, errors };
  } catch (error) {
    await browser.close();
    throw error;
  }
}
