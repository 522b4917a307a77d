// Drives the AgentGrid chat page in headless Chromium: chats with an agent and watches the reply
// stream in, then stops a second reply with the Stop button. Prints one JSON line with what it saw.
// It signs in by pasting the key into the sign-in dialog, and ends by opening the usage view.
// Usage: node chat-page.mjs <base-url> <api-key> <agent-option-label> <screenshot.png>
import { openSignedIn } from "./page.mjs";

const [baseUrl, apiKey, agentLabel, screenshot] = process.argv.slice(2);
const { browser, page, errors } = await openSignedIn(baseUrl, apiKey);

try {
  const whoami = await page.locator("#whoami").textContent();
  await page.selectOption("#agent", { label: agentLabel });
  await page.click("#new-session");
  await page.waitForSelector("#input:not([disabled])");

  // Record every length the reply bubble passes through while it streams.
  await page.evaluate(() => {
    window.replyLengths = [];
    new MutationObserver(() => {
      const reply = [...document.querySelectorAll("#messages li.assistant")].at(-1);
      if (reply) window.replyLengths.push(reply.textContent.length);
    }).observe(document.getElementById("messages"), { subtree: true, childList: true, characterData: true });
  });
  await page.fill("#input", "Hello from Chromium");
  await page.click("#send");
  await page.waitForSelector("#messages li.assistant:not(.streaming):not(.failed)", { timeout: 30000 });
  const reply = await page.locator("#messages li.assistant").last().textContent();
  const lengths = [...new Set(await page.evaluate(() => window.replyLengths))];
  await page.screenshot({ path: screenshot, fullPage: true });

  // Press Stop as soon as it shows, before the reply has started: the page must stop the right turn.
  await page.fill("#input", "Please stop me");
  await page.click("#send");
  await page.click("#stop");
  await page.waitForSelector("#messages li.assistant.failed", { timeout: 30000 });
  const stopped = await page.locator("#messages li.assistant.failed").last().textContent();
  const sessionId = await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith("agentgrid.sessions."));
    return JSON.parse(localStorage.getItem(key))[0].id;
  });

  // The usage view draws today's tokens as bars.
  await page.click("nav button[data-view=usage]");
  await page.waitForSelector("#usage-chart rect.output", { timeout: 20000 });
  const usageRows = await page.locator("#usage-table tbody tr").count();
  const keysHidden = await page.locator("#nav-keys").isHidden();

  console.log(JSON.stringify({ sessionId, reply, distinctLengths: lengths.length, stopped, whoami, usageRows, keysHidden, errors }));
} finally {
  await browser.close();
}
