// Drives the Knowledge view in headless Chromium: creates a knowledge base, uploads files through the file input,
// waits for every document to be ready, searches it, attaches it to an agent, asks the agent, and reads the sources
// shown under the reply. Prints one JSON line with what it saw.
// Usage: node knowledge-page.mjs <base-url> <api-key> <agent-option-label> <kb-name> <question> <file>...
import { openSignedIn } from "./page.mjs";

const [baseUrl, apiKey, agentLabel, kbName, question, ...files] = process.argv.slice(2);
const { browser, page, errors } = await openSignedIn(baseUrl, apiKey);

try {

  await page.click("#nav-knowledge");
  await page.fill("#kb-create-name", kbName);
  await page.click("#kb-create");
  const item = page.locator("#kb-list li", { hasText: kbName });
  await item.waitFor({ timeout: 20000 });
  const kbId = await item.getAttribute("data-id");
  await item.locator(".kb-open").click();
  await page.setInputFiles("#kb-file", files);

  // Watch the progress bars until every document is ready (or one fails).
  const progressSeen = new Set();
  const deadline = Date.now() + 60000;
  let states = [];
  while (Date.now() < deadline) {
    states = await page.locator("#kb-documents tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.state));
    (await page.locator("#kb-documents progress").evaluateAll((bars) => bars.map((b) => b.value))).forEach((v) => progressSeen.add(v));
    if (states.length === files.length && states.every((s) => s === "ready" || s === "failed")) break;
    await page.waitForTimeout(200);
  }

  const names = await page.locator("#kb-documents tbody tr").evaluateAll((rows) => rows.map((r) => r.cells[0].textContent));
  await page.fill("#kb-search-q", question);
  await page.click("#kb-search");
  await page.waitForSelector("#kb-results li", { timeout: 20000 });
  const searchTop = await page.locator("#kb-results li").first().textContent();

  // Attach it to the agent and ask.
  await page.click("nav button[data-view=chat]");
  await page.selectOption("#agent", { label: agentLabel });
  await page.locator("#agent-knowledge summary").click();
  const checkbox = page.locator(`#agent-kb-${kbId}`);
  await checkbox.waitFor({ timeout: 20000 });
  await checkbox.check();
  await page.click("#agent-kbs-save");
  await page.waitForFunction(() => document.getElementById("agent-kbs-message").textContent.trim().length > 0, null, { timeout: 20000 });
  await page.click("#new-session");
  await page.waitForSelector("#input:not([disabled])");
  await page.fill("#input", question);
  await page.click("#send");
  await page.waitForSelector("#messages li.citations button.citation", { timeout: 30000 });
  const citations = await page.locator("#messages li.citations button.citation").allTextContents();
  await page.locator("#messages li.citations button.citation").first().click();
  const snippet = await page.locator("#messages li.citations .citation-detail blockquote").first().textContent();

  console.log(JSON.stringify({ kbId, states, names, progressSeen: [...progressSeen], searchTop, citations, snippet, errors }));
} finally {
  await browser.close();
}
