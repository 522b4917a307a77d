// The AgentGrid chat page: REST for agents and sessions, SignalR for sending and for the live event stream.
// knowledge.js, tools.js, agent-extras.js, citations.js, tool-calls.js and workflows.js hold the knowledge-base panel, the
// tools view, the agent's knowledge, tools and memories, a reply's sources, tool calls in the chat and the workflows view;
// they load first and only declare functions, which this file wires up.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { agents: [], sessionId: null, lastSequence: 0, stream: null, bubbles: new Map(), turnRunning: false, turnId: null, stopRequested: false };
const keyStorage = "agentgrid.key";

// The key arrives once in a sign-in link's fragment (never sent to a server) or is typed in; it stays in this browser.
const fromLink = new URLSearchParams(location.hash.slice(1)).get("key");
if (fromLink) history.replaceState(null, "", location.pathname + location.search);
const apiKey = () => localStorage.getItem(keyStorage);
let me = null;
// Chats are remembered per key, so another key signed in on this browser does not see them.
const storageKey = () => `agentgrid.sessions.${me?.id ?? "none"}`;

// The hub gets a short-lived ticket, never the key: browsers put it in the WebSocket's query string, which proxies log.
// Each connect (and reconnect) asks for a fresh one.
async function hubTicket() {
  const response = await fetch("/api/hub-tickets", { method: "POST", headers: { Authorization: `Bearer ${apiKey()}` } });
  if (!response.ok) throw new Error(`hub ticket refused (${response.status})`);
  return (await response.json()).ticket;
}
const hub = new signalR.HubConnectionBuilder().withUrl("/hubs/chat", { accessTokenFactory: hubTicket }).withAutomaticReconnect().build();
hub.onreconnected(() => follow(state.sessionId));

// JSON in and out; a FormData body goes as multipart (the browser writes its Content-Type with the boundary).
async function api(path, options = {}) {
  const contentType = options.body instanceof FormData ? {} : { "Content-Type": "application/json" };
  const response = await fetch(path, { ...options, headers: { ...contentType, Authorization: `Bearer ${apiKey()}`, ...(options.headers ?? {}) } });
  if (response.status === 401) { signOut(); throw new Error("unauthenticated: sign in with a valid key"); }
  const body = response.status === 204 ? null : (response.headers.get("content-type") ?? "").includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw problem(response.status, body);
  return body;
}

// An error from a problem details body: the message as the page always showed it, plus status, code, detail and,
// for validation_failed, the field at fault.
function problem(status, body) {
  const detail = body?.detail ?? body?.title ?? "request failed";
  return Object.assign(new Error(`${body?.code ?? status}: ${detail}`), { status, code: body?.code, detail, field: body?.field });
}

function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function signOut() {
  localStorage.removeItem(keyStorage);
  location.reload();
}

// A link's key is stored only when the user agrees, having seen whose it is: a link from someone else must not
// silently sign this browser in to their tenant, nor replace the key in use.
async function acceptLinkKey() {
  const current = localStorage.getItem(keyStorage);
  if (!fromLink || fromLink === current) return;
  const response = await fetch("/api/me", { headers: { Authorization: `Bearer ${fromLink}` } });
  if (!response.ok) { $("signin-error").textContent = "The sign-in link's key is not valid (unknown, revoked or expired)."; return; }
  const other = await response.json();
  const tenant = other.tenantName && other.tenantName !== other.tenant ? `${other.tenantName} (${other.tenant})` : other.tenant;
  const question = `This link signs in as "${other.name}" (${other.role}) of tenant ${tenant}.` +
    (current ? " It replaces the key in use in this browser." : "") + " Sign in with it?";
  if (!confirm(question)) return;
  localStorage.setItem(keyStorage, fromLink);
}

async function signIn() {
  await acceptLinkKey();
  while (true) {
    if (apiKey()) {
      const response = await fetch("/api/me", { headers: { Authorization: `Bearer ${apiKey()}` } });
      if (response.ok) { me = await response.json(); $("signin").close(); return; }
      localStorage.removeItem(keyStorage);
      $("signin-error").textContent = "That key is not valid (unknown, revoked or expired).";
    }
    if (!$("signin").open) $("signin").showModal();
    await new Promise((resolve) => { $("signin-form").onsubmit = () => { localStorage.setItem(keyStorage, $("signin-key").value.trim()); resolve(); }; });
  }
}

// target, for the knowledge view: { knowledgeBaseId, documentId } to select and highlight.
function show(view, target) {
  for (const name of ["chat", "usage", "keys", "knowledge", "tools", "workflows"]) $(`view-${name}`).hidden = name !== view;
  document.querySelectorAll("nav button").forEach((b) => b.classList.toggle("active", b.dataset.view === view));
  if (view === "usage") loadUsage().catch((e) => status(e.message));
  if (view === "keys") loadKeys().catch((e) => status(e.message));
  if (view === "knowledge") openKnowledgeView(target?.knowledgeBaseId, target?.documentId).catch((e) => knowledgeMessage(e.message));
  else stopKnowledgePolling();
  if (view === "tools") openToolsView().catch((e) => toolMessage(toolProblemText(e)));
  if (view === "workflows") openWorkflowsView().catch((e) => { $("workflow-message").textContent = e.message; });
}

function cell(row, text) { const td = document.createElement("td"); td.textContent = text ?? ""; row.append(td); return td; }

function usageQuery(groupBy = "day") { return `from=${$("usage-from").value}&to=${$("usage-to").value}&groupBy=${groupBy}`; }

async function loadUsage() {
  const rows = await api(`/api/usage?${usageQuery()}`);
  $("usage-table").tBodies[0].replaceChildren(...rows.map((r) => {
    const tr = document.createElement("tr");
    [r.day, r.requests, r.inputTokens, r.outputTokens, r.costUsd].forEach((v) => cell(tr, String(v)));
    return tr;
  }));
  drawChart(rows);
}

// Stacked bars of input and output tokens per day, drawn as SVG (no chart library, no inline script or style).
function drawChart(rows) {
  const svg = $("usage-chart"), ns = "http://www.w3.org/2000/svg", width = 720, height = 220, bottom = 20;
  const max = Math.max(1, ...rows.map((r) => r.inputTokens + r.outputTokens));
  const step = rows.length ? Math.min(60, (width - 20) / rows.length) : 0;
  const make = (tag, attributes, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, v);
    if (text) e.textContent = text;
    return e;
  };
  const children = [];
  rows.forEach((r, i) => {
    const x = 10 + i * step, scale = (height - bottom - 10) / max;
    const input = r.inputTokens * scale, output = r.outputTokens * scale;
    children.push(make("rect", { class: "input", x, y: height - bottom - input, width: step * 0.8, height: input }));
    children.push(make("rect", { class: "output", x, y: height - bottom - input - output, width: step * 0.8, height: output }));
    children.push(make("text", { x, y: height - 6 }, r.day.slice(5)));
  });
  children.push(make("text", { x: width - 200, y: 14 }, `max ${max} tokens/day (input, output)`));
  svg.replaceChildren(...children);
}

async function downloadCsv(event) {
  event.preventDefault();
  const response = await fetch(`/api/usage?${usageQuery("day,key,agent,model")}`, { headers: { Authorization: `Bearer ${apiKey()}`, Accept: "text/csv" } });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = "agentgrid-usage.csv";
  link.click();
}

async function loadKeys() {
  const keys = await api("/api/keys");
  $("keys-table").tBodies[0].replaceChildren(...keys.map((k) => {
    const tr = document.createElement("tr");
    [k.name, k.prefix + "…", k.role, k.tenant, k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : "never",
      k.revokedAt ? "revoked" : k.expiresAt && new Date(k.expiresAt) < new Date() ? "expired" : "active"].forEach((v) => cell(tr, v));
    const actions = cell(tr, "");
    if (!k.revokedAt) {
      const revoke = document.createElement("button");
      revoke.textContent = "Revoke";
      revoke.onclick = guard(async () => { await api(`/api/keys/${k.id}`, { method: "DELETE" }); await loadKeys(); });
      actions.append(revoke);
    }
    return tr;
  }));
}

async function createKey(event) {
  event.preventDefault();
  const created = await api("/api/keys", {
    method: "POST",
    body: JSON.stringify({ name: $("key-name").value, role: $("key-role").value, tenant: $("key-tenant").value || null }),
  });
  $("key-form").reset();
  $("new-key-value").textContent = created.key;
  $("new-key").hidden = false;
  await loadKeys();
}

function status(text) { $("status").textContent = text ?? ""; }

function savedSessions() { return JSON.parse(localStorage.getItem(storageKey()) ?? "[]"); }

function rememberSession(session, agentName) {
  const sessions = savedSessions().filter((s) => s.id !== session.id);
  sessions.unshift({ id: session.id, agentName, createdAt: session.createdAt });
  localStorage.setItem(storageKey(), JSON.stringify(sessions.slice(0, 50)));
  renderSessions();
}

function renderSessions() {
  const list = $("sessions");
  list.replaceChildren(...savedSessions().map((s) => {
    const item = document.createElement("li");
    item.textContent = `${s.agentName} · ${new Date(s.createdAt).toLocaleString()}`;
    item.dataset.id = s.id;
    item.classList.toggle("active", s.id === state.sessionId);
    item.onclick = () => openSession(s.id);
    return item;
  }));
}

async function loadAgents(selectId) {
  state.agents = await api("/api/agents");
  $("agent").replaceChildren(...state.agents.map((a) => new Option(`${a.name} (${a.model})`, a.id)));
  if (selectId) $("agent").value = selectId;
  await renderVariables();
}

async function renderVariables() {
  const id = $("agent").value;
  const agent = id ? await api(`/api/agents/${id}`) : null;
  showAgentExtras(agent);
  $("variables").replaceChildren(...(agent?.variables ?? []).map((name) => {
    const input = document.createElement("input");
    input.placeholder = `{{${name}}}`;
    input.dataset.variable = name;
    return input;
  }));
}

async function loadModels() {
  const models = await api("/api/models?probe=false");
  $("agent-model").replaceChildren(...models.map((m) => new Option(m.name + (m.isDefault ? " (default)" : ""), m.name)));
}

function bubble(role, text, key) {
  const item = document.createElement("li");
  item.className = role;
  item.textContent = text;
  $("messages").append(item);
  if (key) state.bubbles.set(key, item);
  item.scrollIntoView({ block: "end" });
  return item;
}

function setRunning(running) {
  state.turnRunning = running;
  $("send").disabled = running || !state.sessionId;
  $("stop").hidden = !running;
}

// Applies one session event; the sequence number makes a replayed event harmless.
function apply(event) {
  if (event.sequence <= state.lastSequence) return;
  state.lastSequence = event.sequence;
  const replyKey = `reply:${event.turnId}`;
  if (event.type.startsWith("tool.")) {
    // The reply so far stays above the call; what the model says after it goes in a new bubble below.
    const item = state.bubbles.get(replyKey);
    if (item && !item.textContent) item.remove();
    else if (item) item.className = "assistant";
    state.bubbles.delete(replyKey);
  }
  if (applyToolEvent(event)) return;
  switch (event.type) {
    case "message.accepted":
      if (!state.bubbles.has(event.turnId)) bubble("user", event.message.content, event.turnId);
      bubble("assistant streaming", "", replyKey);
      state.turnId = event.turnId;
      setRunning(true);
      if (state.stopRequested) {
        // Stop was pressed before this turn was known: stop it now.
        state.stopRequested = false;
        hub.invoke("StopReply", state.sessionId, event.turnId).catch((error) => status(error.message));
      }
      break;
    case "token": {
      const item = state.bubbles.get(replyKey) ?? bubble("assistant streaming", "", replyKey);
      item.textContent += event.delta;
      item.scrollIntoView({ block: "end" });
      state.turnId = event.turnId;
      setRunning(true);
      break;
    }
    case "message.completed": {
      const item = state.bubbles.get(replyKey) ?? bubble("assistant", "", replyKey);
      item.textContent = event.message.content;
      item.className = "assistant";
      showCitations(item, event.message.citations, event.message.id);
      setRunning(false);
      break;
    }
    case "turn.failed": {
      const item = state.bubbles.get(replyKey) ?? bubble("assistant", "", replyKey);
      item.className = "assistant failed";
      item.textContent += (item.textContent ? "\n" : "") + (event.code === "turn_cancelled" ? "(stopped)" : `(${event.code}: ${event.error})`);
      setRunning(false);
      break;
    }
    case "memory.summarized":
      showSummary(event.summary);
      break;
  }
}

function follow(sessionId) {
  state.stream?.dispose();
  state.stream = null;
  if (!sessionId || hub.state !== signalR.HubConnectionState.Connected) return;
  state.stream = hub.stream("StreamSession", sessionId, state.lastSequence).subscribe({
    next: apply,
    // E.g. events_expired after a long disconnection: start again from the stored history.
    error: (error) => { status(error.message.replace(/^.*HubException: /, "")); openSession(sessionId).catch((e) => status(e.message)); },
    complete: () => {},
  });
}

async function openSession(id) {
  // The latest page of messages first, then the session: its lastSequence covers at least those messages, and
  // if a message arrived in between the last index differs and the page is read again.
  const page = `/api/sessions/${id}/messages?limit=200`;
  let messages = await api(page);
  let session = await api(`/api/sessions/${id}`);
  if (session.messageCount !== (messages.at(-1)?.index ?? 0)) {
    messages = await api(page);
    session = await api(`/api/sessions/${id}`);
  }

  state.sessionId = id;
  state.lastSequence = session.lastSequence;
  state.bubbles.clear();
  toolCards.clear();
  $("messages").replaceChildren();
  messages.forEach((m) => showToolHistory(m) || showCitations(bubble(m.role, m.content), m.citations, m.id));
  (session.pendingApprovals ?? []).forEach((p) => askApproval(p.call));
  showSummary(session.summary);
  $("input").disabled = false;
  setRunning(false);
  renderSessions();
  follow(id);
  $("input").focus();
}

async function newSession() {
  const agentId = $("agent").value;
  if (!agentId) return status("Create an agent first.");
  const variables = Object.fromEntries([...$("variables").querySelectorAll("input")].map((i) => [i.dataset.variable, i.value]));
  const session = await api("/api/sessions", { method: "POST", body: JSON.stringify({ agentId, variables }) });
  rememberSession(session, state.agents.find((a) => a.id === agentId)?.name ?? agentId);
  await openSession(session.id);
}

async function send(event) {
  event.preventDefault();
  const content = $("input").value.trim();
  if (!content || !state.sessionId || state.turnRunning) return;
  $("input").value = "";
  state.turnId = null;
  state.stopRequested = false;
  setRunning(true);
  status("");
  try {
    await hub.invoke("SendMessage", state.sessionId, content);
  } catch (error) {
    status(error.message.replace(/^.*HubException: /, ""));
    state.stopRequested = false;
    setRunning(false);
  }
}

async function createAgent(event) {
  event.preventDefault();
  const agent = await api("/api/agents", {
    method: "POST",
    body: JSON.stringify({
      name: $("agent-name").value, systemPrompt: $("agent-prompt").value || null, model: $("agent-model").value,
      knowledgeBases: selectedKnowledge($("agent-form-kbs")),
    }),
  });
  $("agent-form").reset();
  $("create-agent").open = false;
  await loadAgents(agent.id);
}

const guard = (handler) => async (event) => { try { status(""); await handler(event); } catch (error) { status(error.message); } };
$("agent").onchange = guard(renderVariables);
$("new-session").onclick = guard(newSession);
$("agent-form").onsubmit = guard(createAgent);
$("composer").onsubmit = guard(send);
$("stop").onclick = guard(async () => {
  if (state.turnId) await hub.invoke("StopReply", state.sessionId, state.turnId);
  else state.stopRequested = true;
});
$("signout").onclick = signOut;
$("key-form").onsubmit = guard(createKey);
$("usage-form").onsubmit = guard(async (event) => { event.preventDefault(); await loadUsage(); });
$("usage-csv").onclick = guard(downloadCsv);
wireKnowledge();
wireTools();
wireAgentExtras();
wireWorkflows();
document.querySelectorAll("nav button").forEach((b) => { b.onclick = () => show(b.dataset.view); });
$("input").onkeydown = (event) => {
  if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("composer").requestSubmit(); }
};

(async () => {
  await signIn();
  $("whoami").textContent = `${me.name} · ${me.role} · tenant ${me.tenant}`;
  $("nav-keys").hidden = me.role !== "admin";
  const today = new Date().toISOString().slice(0, 10);
  $("usage-to").value = today;
  $("usage-from").value = new Date(Date.now() - 29 * 86400000).toISOString().slice(0, 10);
  renderSessions();
  await guard(async () => { await hub.start(); await Promise.all([loadAgents(), loadModels()]); })();
  document.body.dataset.ready = "true";
})();
