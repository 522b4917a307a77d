// Drives an acting agent and a workflow through the page in headless Chromium. Attaches a tool that needs approval to
// the agent in the sidebar, asks for it in a chat, approves the call in its card and waits for the answer; then saves
// a workflow with an approval step, runs it, approves the step and waits for the run to complete.
// Prints one JSON line: { cardStatus, reply, toolOutput, runStatus, stepStatuses, errors }.
// Usage: node acting-page.mjs <base-url> <api-key> <agent-option-label> <tool-id> <message> <workflow-yaml>
import { openSignedIn } from "./page.mjs";

const [baseUrl, apiKey, agentLabel, toolId, message, workflowYaml] = process.argv.slice(2);
const { browser, page, errors } = await openSignedIn(baseUrl, apiKey);

try {
  await page.selectOption("#agent", { label: agentLabel });
  await page.click("#agent-tools summary");
  await page.check(`#agent-tool-${toolId}`, { timeout: 20000 });
  await page.click("#agent-tools-save");
  await page.waitForFunction(() => document.getElementById("agent-tools-message").textContent.startsWith("Saved"), null, { timeout: 20000 });

  await page.click("#new-session");
  await page.waitForSelector("#input:not([disabled])");
  await page.fill("#input", message);
  await page.click("#send");
  await page.click(".tool-call[data-status=waiting] .tool-approve", { timeout: 30000 });
  await page.waitForSelector(".tool-call[data-status=success]", { timeout: 30000 });
  await page.waitForSelector(".tool-call ~ li.assistant:not(.streaming)", { timeout: 30000 });
  const cardStatus = await page.locator(".tool-call").last().getAttribute("data-status");
  const toolOutput = await page.locator(".tool-call .tool-call-output pre").last().textContent();
  const reply = await page.locator(".tool-call ~ li.assistant").last().textContent();

  await page.click("#nav-workflows");
  await page.waitForSelector("#view-workflows:not([hidden])");
  await page.fill("#workflow-definition", workflowYaml);
  await page.click("#workflow-create");
  await page.waitForSelector("#workflow-detail:not([hidden])", { timeout: 20000 });
  await page.fill("#workflow-input", "the quarterly report");
  await page.click("#workflow-start");
  await page.click(".workflow-step[data-status=waiting_approval] .workflow-approve", { timeout: 30000 });
  await page.waitForSelector("#workflow-run[data-status=completed]", { timeout: 30000 });
  const runStatus = await page.locator("#workflow-run").getAttribute("data-status");
  const stepStatuses = await page.locator(".workflow-step").evaluateAll((steps) => steps.map((s) => `${s.dataset.stepId}:${s.dataset.status}`));

  console.log(JSON.stringify({ cardStatus, reply, toolOutput, runStatus, stepStatuses, errors }));
} finally {
  await browser.close();
}
