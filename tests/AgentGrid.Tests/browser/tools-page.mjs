// Drives the Tools view in headless Chromium: creates a files tool, opens it, writes a file through it, reads it back,
// tries to read outside its folder, and waits for the three executions in the table. Prints one JSON line with what
// it saw: { toolId, results, readContent, executionStatuses, errors }.
// Usage: node tools-page.mjs <base-url> <api-key> <tool-name>
import { openSignedIn } from "./page.mjs";

const [baseUrl, apiKey, toolName] = process.argv.slice(2);
const { browser, page, errors } = await openSignedIn(baseUrl, apiKey);

try {

  await page.click("#nav-tools");
  await page.waitForSelector("#view-tools:not([hidden])");
  await page.fill("#tool-name", toolName);
  await page.selectOption("#tool-kind", "files");
  await page.click("#tool-create");
  const item = page.locator("#tool-list li", { hasText: toolName });
  await item.waitFor({ timeout: 20000 });
  const toolId = await item.getAttribute("data-id");
  await item.locator(".tool-open").click();
  await page.waitForSelector(`#tool-detail:not([hidden])[data-id="${toolId}"]`, { timeout: 20000 });

  // Each answered invocation raises #tool-result's data-invocation; wait for it to move past the last one seen.
  const invoke = async (input) => {
    const before = Number(await page.locator("#tool-result").getAttribute("data-invocation") ?? 0);
    await page.fill("#tool-input", JSON.stringify(input));
    await page.click("#tool-invoke");
    await page.waitForFunction(
      (n) => Number(document.getElementById("tool-result").dataset.invocation ?? 0) > n, before, { timeout: 30000 });
    return page.locator("#tool-result").evaluate((r) => ({
      status: r.dataset.status,
      errorCode: r.dataset.errorCode ?? null,
      executionId: r.dataset.executionId ?? null,
      text: document.getElementById("tool-result-status").textContent,
      error: document.getElementById("tool-result-error").textContent.trim() || null,
      output: document.getElementById("tool-output").textContent,
    }));
  };

  const results = [];
  results.push(await invoke({ operation: "write_file", path: "hello.txt", content: "hi from the page" }));
  const read = await invoke({ operation: "read_file", path: "hello.txt" });
  results.push(read);
  results.push(await invoke({ operation: "read_file", path: "../escape.txt" }));

  let readContent = null;
  try {
    const output = JSON.parse(read.output);
    readContent = typeof output === "string" ? output : output?.content ?? output?.text ?? null;
  } catch {
    readContent = read.output || null;
  }

  await page.waitForFunction(
    () => document.querySelectorAll("#tool-executions tbody tr[data-status]").length >= 3, null, { timeout: 20000 });
  const executionStatuses = await page.locator("#tool-executions tbody tr[data-status]")
    .evaluateAll((rows) => rows.map((r) => r.dataset.status));

  console.log(JSON.stringify({
    toolId,
    results: results.map(({ output, ...rest }) => rest),
    readContent,
    executionStatuses,
    message: await page.locator("#tool-message").textContent(),
    errors,
  }));
} finally {
  await browser.close();
}
