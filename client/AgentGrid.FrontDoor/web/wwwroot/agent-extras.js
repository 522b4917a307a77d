// The selected agent's knowledge bases and memories, in the sidebar. Their failures stay in their own sections:
// they never hold up choosing an agent or chatting.
"use strict";

const agentExtras = { agent: null, memoriesMissing: false };

function wireAgentExtras() {
  $("agent-kbs-save").onclick = extrasGuard("agent-kbs-message", saveAgentKnowledge);
  $("agent-tools-save").onclick = extrasGuard("agent-tools-message", saveAgentTools);
  $("memory-form").onsubmit = extrasGuard("memories-message", addMemory);
}

const extrasGuard = (messageId, handler) => async (event) => {
  try { $(messageId).textContent = ""; await handler(event); } catch (error) { $(messageId).textContent = error.message; }
};

function showAgentExtras(agent) {
  agentExtras.agent = agent;
  $("agent-knowledge").hidden = !agent;
  $("agent-tools").hidden = !agent;
  $("agent-tools-message").textContent = "";
  renderToolChoices().catch((error) => { $("agent-tools-message").textContent = error.message; });
  $("agent-memories").hidden = true;
  $("agent-kbs-message").textContent = "";
  $("memories-message").textContent = "";
  renderKnowledgeChoices().catch((error) => { $("agent-kbs-message").textContent = error.message; });
  loadMemories().catch((error) => { $("memories-message").textContent = error.message; });
}

// The checkbox lists of the agent form and of the selected agent, whose attached knowledge bases come first, checked.
async function renderKnowledgeChoices() {
  let bases;
  try { bases = await knowledgeBaseList(); } catch (error) { $("agent-kbs-message").textContent = error.message; return; }
  const agent = agentExtras.agent;
  $("agent-form-kbs").replaceChildren(...knowledgeChoices(bases, [], "new-agent-kb"));
  if (agent) $("agent-kbs").replaceChildren(...knowledgeChoices(bases, agent.knowledgeBases ?? [], "agent-kb"));
}

function knowledgeChoices(bases, attached, prefix) {
  if (!bases.length && !attached.length) return [element("p", "empty", "No knowledge bases yet (see Knowledge).")];
  const names = new Map(bases.map((b) => [b.id, b.name]));
  const first = [...attached].sort((a, b) => a.priority - b.priority).map((a) => choice(prefix, a.id, names.get(a.id) ?? `${a.id} (missing)`, true, a.k));
  const rest = bases.filter((b) => !attached.some((a) => a.id === b.id)).map((b) => choice(prefix, b.id, b.name, false, 4));
  return [...first, ...rest];
}

function choice(prefix, id, name, checked, k) {
  const label = element("label", "choice");
  const box = element("input");
  Object.assign(box, { type: "checkbox", id: `${prefix}-${id}`, value: id, checked });
  box.dataset.k = k ?? 4;
  label.append(box, name);
  return label;
}

// Checked ones in the order shown: the first gets priority 0. An attached one keeps its k.
function selectedKnowledge(container) {
  return [...container.querySelectorAll("input[type=checkbox]:checked")].map((box, i) => ({ id: box.value, priority: i, k: Number(box.dataset.k) || 4 }));
}

// PUT takes the whole definition: everything the agent has, with what changes replaced.
async function saveAgent(changes) {
  const agent = agentExtras.agent;
  if (!agent) return null;
  const updated = await api(`/api/agents/${encodeURIComponent(agent.id)}`, {
    method: "PUT",
    body: JSON.stringify({
      name: agent.name, description: agent.description ?? null, systemPrompt: agent.systemPrompt ?? null, model: agent.model,
      parameters: agent.parameters, memory: agent.memory, knowledgeBases: agent.knowledgeBases ?? [], tools: agent.tools ?? [],
      mcpServers: agent.mcpServers ?? [], ...changes,
    }),
  });
  if (agentExtras.agent !== agent) return null;
  agentExtras.agent = updated;
  const listed = state.agents.findIndex((a) => a.id === updated.id);
  if (listed >= 0) state.agents[listed] = updated;
  return updated;
}

async function saveAgentKnowledge() {
  const updated = await saveAgent({ knowledgeBases: selectedKnowledge($("agent-kbs")) });
  if (!updated) return;
  renderKnowledgeChoices();
  $("agent-kbs-message").textContent = `Saved as version ${updated.version}.`;
}

// The tenant's tools and MCP servers as checkboxes, those the agent may call checked.
async function renderToolChoices() {
  const agent = agentExtras.agent;
  if (!agent) return;
  const [{ tools }, { servers }] = await Promise.all([api("/api/tools"), api("/api/mcp-servers")]);
  if (agentExtras.agent !== agent) return;
  const own = tools.filter((t) => t.kind !== "mcp");
  $("agent-tool-choices").replaceChildren(...(own.length ? own.map((t) =>
    choice("agent-tool", t.id, `${t.name} (${t.kind}${t.requiresApproval ? ", needs approval" : ""})`, (agent.tools ?? []).includes(t.id)))
    : [element("p", "empty", "No tools yet (see Tools).")]));
  $("agent-mcp-choices").replaceChildren(...servers.map((s) => choice("agent-mcp", s.id, `${s.name} (MCP, ${s.tools.length} tools)`, (agent.mcpServers ?? []).includes(s.id))));
}

async function saveAgentTools() {
  const checked = (id) => [...$(id).querySelectorAll("input[type=checkbox]:checked")].map((box) => box.value);
  const updated = await saveAgent({ tools: checked("agent-tool-choices"), mcpServers: checked("agent-mcp-choices") });
  if (!updated) return;
  await renderToolChoices();
  $("agent-tools-message").textContent = `Saved as version ${updated.version}.`;
}

// A grid without the memories API answers 404 with another code than agent_not_found (or 405): the section stays hidden.
async function loadMemories() {
  const agent = agentExtras.agent, section = $("agent-memories");
  if (!agent || agentExtras.memoriesMissing) return;
  let memories;
  try {
    ({ memories } = await api(`/api/agents/${encodeURIComponent(agent.id)}/memories`));
  } catch (error) {
    agentExtras.memoriesMissing = error.status === 405 || (error.status === 404 && error.code !== "agent_not_found");
    if (agentExtras.agent !== agent || agentExtras.memoriesMissing) return;
    section.hidden = false;
    $("memories-message").textContent = error.message;
    return;
  }
  if (agentExtras.agent !== agent) return;
  section.hidden = false;
  $("memories").replaceChildren(...(memories ?? []).map((m) => memoryItem(agent, m)));
  if (!memories?.length) $("memories").append(element("li", "empty", "No memories yet."));
}

function memoryItem(agent, m) {
  const item = element("li");
  item.dataset.id = m.id;
  const when = m.createdAt ? new Date(m.createdAt).toLocaleString() : "";
  item.append(element("span", "memory-text", m.text), element("span", "memory-meta", [m.user, when].filter(Boolean).join(" · ")));
  const remove = element("button", "memory-delete", "Delete");
  remove.type = "button";
  remove.setAttribute("aria-label", `Delete memory: ${m.text}`);
  remove.onclick = extrasGuard("memories-message", async () => {
    await api(`/api/agents/${encodeURIComponent(agent.id)}/memories/${encodeURIComponent(m.id)}`, { method: "DELETE" });
    await loadMemories();
  });
  item.append(remove);
  return item;
}

async function addMemory(event) {
  event.preventDefault();
  const agent = agentExtras.agent, text = $("memory-text").value.trim();
  if (!agent || !text) return;
  await api(`/api/agents/${encodeURIComponent(agent.id)}/memories`, { method: "POST", body: JSON.stringify({ text }) });
  $("memory-text").value = "";
  await loadMemories();
}
