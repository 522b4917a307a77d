// The tools view: the tenant's tools, creating and deleting them, and invoking one with a JSON input to see its result
// and its recent executions. Like knowledge.js it only declares functions; app.js wires them up.
"use strict";

const tools = { list: null, selected: null, invocations: 0 };
const toolPath = (...parts) => ["/api/tools", ...parts.map(encodeURIComponent)].join("/");
const prettyJson = (value) => JSON.stringify(value, null, 2);

// A sensible first input for each kind, shown when a tool is opened.
const toolExamples = {
  http: {},
  files: { operation: "list_directory", path: "." },
  sqlite: { query: "SELECT 1" },
  knowledge_search: { query: "search terms" },
  http_fetch: { url: "https://example.com" },
};

function toolMessage(text) { $("tool-message").textContent = text ?? ""; }

// A problem's code, the field it names (validation_failed) and its detail.
function toolProblemText(error) {
  if (!error.code) return error.message;
  return `${error.code}: ${error.field ? `${error.field}: ` : ""}${error.detail ?? error.message}`;
}

const toolGuard = (handler) => async (event) => {
  try { toolMessage(""); await handler(event); } catch (error) { toolMessage(toolProblemText(error)); }
};

function wireTools() {
  $("tool-create-form").onsubmit = toolGuard(createTool);
  $("tool-kind").onchange = toolGuard(showToolKindFields);
  $("tool-invoke-form").onsubmit = toolGuard(invokeTool);
  showToolKindFields().catch((error) => toolMessage(toolProblemText(error)));
}

// Only the fields of the chosen kind show; a hidden field is neither required nor sent.
async function showToolKindFields() {
  const kind = $("tool-kind").value;
  $("tool-create-form").querySelectorAll(".tool-field[data-kinds]").forEach((field) => {
    field.hidden = !field.dataset.kinds.split(" ").includes(kind);
  });
  $("tool-url").required = kind === "http";
  $("tool-kb").required = kind === "knowledge_search";
  if (kind === "knowledge_search") await loadToolKnowledgeBases();
}

async function loadToolKnowledgeBases() {
  const select = $("tool-kb"), current = select.value;
  const { knowledgeBases } = await api("/api/knowledge-bases");
  const options = (knowledgeBases ?? []).map((b) => new Option(b.name, b.id));
  if (!options.length) options.push(new Option("No knowledge bases yet: create one in Knowledge", ""));
  select.replaceChildren(...options);
  if (current && [...select.options].some((o) => o.value === current)) select.value = current;
}

async function openToolsView() {
  await Promise.all([loadTools(), showToolKindFields()]);
  if (tools.selected && tools.list.some((t) => t.id === tools.selected)) await selectTool(tools.selected);
  else closeTool();
}

async function loadTools() {
  // The API lists in id order, a page at a time (500 by default); the page shows them by name.
  tools.list = ((await api("/api/tools")).tools ?? []).sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" }));
  renderTools();
  return tools.list;
}

function renderTools() {
  $("tool-list").replaceChildren(...tools.list.map((t) => {
    const item = element("li");
    item.dataset.id = t.id;
    item.dataset.kind = t.kind;
    item.classList.toggle("active", t.id === tools.selected);
    item.classList.toggle("disabled", t.enabled === false);
    const open = element("button", "tool-open");
    open.type = "button";
    const flags = [t.kind, t.enabled === false ? "disabled" : null, t.requiresApproval ? "needs approval" : null].filter(Boolean);
    open.append(element("strong", "", t.name), element("span", "tool-kind", flags.join(" · ")));
    open.onclick = toolGuard(() => selectTool(t.id));
    const remove = element("button", "tool-delete", "Delete");
    remove.type = "button";
    remove.setAttribute("aria-label", `Delete tool ${t.name}`);
    remove.onclick = toolGuard(() => deleteTool(t, remove));
    item.append(open, remove);
    if (t.description) item.append(element("p", "tool-list-description", t.description));
    return item;
  }));
  if (!tools.list.length) $("tool-list").append(element("li", "empty", "No tools yet."));
}

function toolCreateBody() {
  const kind = $("tool-kind").value;
  const body = { name: $("tool-name").value.trim(), kind, requiresApproval: $("tool-approval").checked };
  const description = $("tool-description").value.trim();
  if (description) body.description = description;
  const timeout = $("tool-timeout").value.trim();
  if (timeout) body.timeoutMs = Number(timeout);
  if (kind === "http") Object.assign(body, { url: $("tool-url").value.trim(), method: $("tool-method").value });
  if (kind === "sqlite") body.writable = $("tool-writable").checked;
  if (kind === "knowledge_search") body.knowledgeBaseId = $("tool-kb").value || null;
  return body;
}

async function createTool(event) {
  event.preventDefault();
  const created = await api("/api/tools", { method: "POST", body: JSON.stringify(toolCreateBody()) });
  // Keep the kind chosen, so that several tools of one kind are quick to add.
  const kind = $("tool-kind").value;
  $("tool-create-form").reset();
  $("tool-kind").value = kind;
  await showToolKindFields();
  await loadTools();
  await selectTool(created.id);
}

// Deleting takes a second click.
async function deleteTool(t, button) {
  if (button.dataset.armed !== "true") {
    button.dataset.armed = "true";
    button.textContent = "Delete this tool?";
    button.onblur = () => { button.dataset.armed = "false"; button.textContent = "Delete"; };
    return;
  }
  await api(toolPath(t.id), { method: "DELETE" });
  if (tools.selected === t.id) closeTool();
  await loadTools();
}

function toolMeta(t) {
  const parts = [t.kind];
  if (t.kind === "http") parts.push(`${t.method ?? "GET"} ${t.url ?? ""}`.trim());
  if (t.kind === "sqlite") parts.push(t.writable ? "writable" : "read-only");
  if (t.kind === "knowledge_search" && t.knowledgeBaseId) parts.push(`knowledge base ${t.knowledgeBaseId}`);
  if (t.timeoutMs) parts.push(`timeout ${t.timeoutMs} ms`);
  if (t.rateLimitPerMinute) parts.push(`${t.rateLimitPerMinute}/min`);
  if (t.requiresApproval) parts.push("requires approval");
  parts.push(t.enabled === false ? "disabled" : "enabled");
  return parts.join(" · ");
}

async function selectTool(id) {
  const t = tools.list?.find((x) => x.id === id);
  if (!t) return closeTool();
  const changed = tools.selected !== id || $("tool-detail").hidden;
  tools.selected = id;
  $("tool-list").querySelectorAll("li").forEach((li) => li.classList.toggle("active", li.dataset.id === id));
  $("tool-detail").hidden = false;
  $("tool-detail").dataset.id = id;
  $("tool-title").textContent = t.name;
  $("tool-meta").textContent = toolMeta(t);
  $("tool-description-text").textContent = t.description ?? "";
  $("tool-description-text").hidden = !t.description;
  $("tool-schema").textContent = prettyJson(t.inputSchema ?? {});
  if (changed) {
    $("tool-input").value = prettyJson(toolExamples[t.kind] ?? {});
    clearToolResult();
    $("tool-executions").tBodies[0].replaceChildren();
  }
  await loadExecutions(id);
}

function closeTool() {
  tools.selected = null;
  $("tool-detail").hidden = true;
  delete $("tool-detail").dataset.id;
}

function clearToolResult() {
  const result = $("tool-result");
  result.hidden = true;
  for (const name of ["status", "executionId", "errorCode"]) delete result.dataset[name];
  $("tool-result-status").replaceChildren();
  $("tool-result-error").replaceChildren();
  $("tool-output").textContent = "";
}

// Shows one execution (or a refused request) with machine-readable attributes: data-status, data-error-code,
// data-execution-id, and data-invocation, which counts the invocations answered on this page.
function showToolResult({ status, errorCode, error, output, durationMs, id }) {
  clearToolResult();
  const result = $("tool-result");
  result.dataset.status = status;
  if (errorCode) result.dataset.errorCode = errorCode;
  if (id) result.dataset.executionId = id;
  result.dataset.invocation = String(++tools.invocations);
  const head = $("tool-result-status");
  head.append(element("strong", `tool-status status-${status}`, status));
  if (durationMs !== undefined && durationMs !== null) head.append(` · ${durationMs} ms`);
  const failure = $("tool-result-error");
  if (errorCode || error) failure.append(element("code", "", errorCode ?? "error"), ` ${error ?? ""}`);
  failure.hidden = !(errorCode || error);
  const shown = output !== undefined && output !== null;
  $("tool-output").textContent = shown ? prettyJson(output) : "";
  $("tool-output").hidden = !shown;
  result.hidden = false;
}

function parseToolInput() {
  let input;
  try {
    input = JSON.parse($("tool-input").value.trim() || "{}");
  } catch (error) {
    throw new Error(`The input is not valid JSON: ${error.message}`);
  }
  if (input === null || typeof input !== "object" || Array.isArray(input)) throw new Error("The input must be a JSON object.");
  return input;
}

async function invokeTool(event) {
  event.preventDefault();
  const id = tools.selected;
  if (!id) return;
  const input = parseToolInput();
  const button = $("tool-invoke");
  button.disabled = true;
  try {
    const execution = await api(toolPath(id, "invoke"), { method: "POST", body: JSON.stringify({ input }) });
    if (tools.selected === id) showToolResult(execution);
  } catch (error) {
    if (tools.selected === id && error.status) {
      showToolResult({ status: "rejected", errorCode: error.code ?? String(error.status), error: `${error.field ? `${error.field}: ` : ""}${error.detail ?? error.message}` });
    }
    throw error;
  } finally {
    button.disabled = false;
    if (tools.selected === id) await loadExecutions(id).catch((error) => toolMessage(toolProblemText(error)));
  }
}

async function loadExecutions(id) {
  const { executions } = await api(`${toolPath(id, "executions")}?limit=20`);
  if (tools.selected !== id) return;
  const body = $("tool-executions").tBodies[0];
  body.replaceChildren(...(executions ?? []).map((x) => {
    const row = element("tr");
    row.dataset.id = x.id;
    row.dataset.status = x.status;
    [x.at ? new Date(x.at).toLocaleString() : "", x.status, String(x.durationMs ?? ""), x.errorCode ?? ""].forEach((v) => cell(row, v));
    row.title = x.error ?? "";
    return row;
  }));
  if (!executions?.length) {
    const empty = cell(body.insertRow(), "No executions yet.");
    empty.colSpan = 4;
    empty.className = "empty";
  }
}
