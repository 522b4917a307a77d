// Tool calls in the chat: each call a card in the conversation, with its arguments and then its result. A call that
// waits for a member's approval gets Approve and Deny buttons; approving sends back exactly the arguments shown.
"use strict";

const toolCards = new Map();

function pretty(json) {
  try { return JSON.stringify(JSON.parse(json), null, 2); } catch { return json ?? ""; }
}

function toolCard(call) {
  let card = toolCards.get(call.id);
  if (card) return card;
  card = element("li", "tool-call");
  card.dataset.callId = call.id;
  card.dataset.status = "requested";
  const head = element("div", "tool-call-head");
  head.append(element("strong", "tool-call-name", call.name), element("span", "tool-call-status", "requested"));
  card.append(head, element("pre", "tool-call-args", pretty(call.arguments)));
  $("messages").append(card);
  toolCards.set(call.id, card);
  card.scrollIntoView({ block: "end" });
  return card;
}

function setToolStatus(card, status, text) {
  card.dataset.status = status;
  card.querySelector(".tool-call-status").textContent = text;
  card.querySelector(".tool-call-actions")?.remove();
}

function showToolOutput(card, output) {
  let details = card.querySelector(".tool-call-output");
  if (!details) {
    details = element("details", "tool-call-output");
    details.append(element("summary", null, "Output"), element("pre"));
    card.append(details);
  }
  details.querySelector("pre").textContent = pretty(output);
}

function askApproval(call) {
  const card = toolCard(call);
  setToolStatus(card, "waiting", "waits for your approval");
  const actions = element("div", "tool-call-actions");
  const approve = element("button", "tool-approve", "Approve");
  const deny = element("button", "tool-deny", "Deny");
  approve.type = deny.type = "button";
  const decide = (method, argument) => async () => {
    approve.disabled = deny.disabled = true;
    setRunning(true);
    status("");
    try {
      await hub.invoke(method, state.sessionId, call.id, argument);
    } catch (error) {
      status(error.message.replace(/^.*HubException: /, ""));
      approve.disabled = deny.disabled = false;
      setRunning(false);
    }
  };
  approve.onclick = decide("ApproveToolCall", call.arguments);
  deny.onclick = decide("DenyToolCall", null);
  actions.append(approve, deny);
  card.append(actions);
}

function showCallResult(card, message) {
  if (message.toolStatus === "success") {
    setToolStatus(card, "success", "done");
    showToolOutput(card, message.content);
  } else {
    setToolStatus(card, message.toolStatus ?? "failed", message.toolStatus === "denied" ? "denied" : `failed: ${message.content}`);
  }
}

// Applies a tool.* event or turn.paused; false for any other event.
function applyToolEvent(event) {
  switch (event.type) {
    case "tool.called":
      setToolStatus(toolCard(event.toolCall), "running", "running");
      return true;
    case "tool.completed": {
      const card = toolCard(event.toolCall);
      setToolStatus(card, "success", `done in ${Math.round(event.totalMs ?? 0)} ms`);
      showToolOutput(card, event.output);
      return true;
    }
    case "tool.failed":
      setToolStatus(toolCard(event.toolCall), event.code === "tool_denied" ? "denied" : "failed",
        event.code === "tool_denied" ? "denied" : `${event.code}: ${event.error}`);
      return true;
    case "tool.approval_requested":
      askApproval(event.toolCall);
      return true;
    case "turn.paused":
      setRunning(false);
      status("The agent waits for your approval of a tool call.");
      return true;
    default:
      return false;
  }
}

// One stored message of a history page: a call's card, or a tool message as the result of its call. False for others.
function showToolHistory(message) {
  if (message.role === "tool") {
    const card = toolCards.get(message.toolCallId);
    if (card) showCallResult(card, message);
    return true;
  }
  if (!message.toolCalls?.length) return false;
  if (message.content) bubble("assistant", message.content);
  message.toolCalls.forEach(toolCard);
  return true;
}
