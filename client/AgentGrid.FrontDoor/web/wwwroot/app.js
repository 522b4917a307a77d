// The AgentGrid chat page: REST for agents and sessions, SignalR for sending and for the live event stream.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { agents: [], sessionId: null, lastSequence: 0, stream: null, bubbles: new Map(), turnRunning: false, turnId: null, stopRequested: false };
const storageKey = "agentgrid.sessions";

const hub = new signalR.HubConnectionBuilder().withUrl("/hubs/chat").withAutomaticReconnect().build();
hub.onreconnected(() => follow(state.sessionId));

async function api(path, options = {}) {
  const response = await fetch(path, { headers: { "Content-Type": "application/json" }, ...options });
  const body = response.status === 204 ? null : await response.json();
  if (!response.ok) throw new Error(`${body?.code ?? response.status}: ${body?.detail ?? body?.title ?? "request failed"}`);
  return body;
}

function status(text) { $("status").textContent = text ?? ""; }

function savedSessions() { return JSON.parse(localStorage.getItem(storageKey) ?? "[]"); }

function rememberSession(session, agentName) {
  const sessions = savedSessions().filter((s) => s.id !== session.id);
  sessions.unshift({ id: session.id, agentName, createdAt: session.createdAt });
  localStorage.setItem(storageKey, JSON.stringify(sessions.slice(0, 50)));
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
  // Messages first, then the session: its lastSequence covers at least those messages, and if a
  // message arrived in between the counts differ and the messages are read again.
  let messages = await api(`/api/sessions/${id}/messages`);
  let session = await api(`/api/sessions/${id}`);
  if (session.messageCount !== messages.length) {
    messages = await api(`/api/sessions/${id}/messages`);
    session = await api(`/api/sessions/${id}`);
  }

  state.sessionId = id;
  state.lastSequence = session.lastSequence;
  state.bubbles.clear();
  $("messages").replaceChildren();
  messages.forEach((m) => bubble(m.role, m.content));
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
    body: JSON.stringify({ name: $("agent-name").value, systemPrompt: $("agent-prompt").value || null, model: $("agent-model").value }),
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
$("input").onkeydown = (event) => {
  if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("composer").requestSubmit(); }
};

(async () => {
  renderSessions();
  await guard(async () => { await hub.start(); await Promise.all([loadAgents(), loadModels()]); })();
  document.body.dataset.ready = "true";
})();
