// Under a reply, the knowledge-base passages it drew on; above the chat, the summary that stands for its oldest turns.
"use strict";

// A "Sources" item right after the reply's bubble (outside it: the bubble's text is the reply and nothing else).
function showCitations(item, citations, messageId) {
  if (item.nextElementSibling?.classList.contains("citations")) item.nextElementSibling.remove();
  if (!citations?.length) return;
  const box = element("li", "citations");
  if (messageId) box.id = `citations-${messageId}`;
  const list = element("ol");
  list.append(...citations.map(citationItem));
  box.append(element("h3", "", "Sources"), list);
  item.after(box);
  box.scrollIntoView({ block: "end" });
}

function citationItem(c) {
  const item = element("li");
  item.dataset.documentId = c.documentId;
  const toggle = element("button", "citation", c.documentName);
  toggle.type = "button";
  toggle.setAttribute("aria-expanded", "false");
  const detail = element("div", "citation-detail");
  detail.hidden = true;
  const open = element("button", "citation-open", "Show in its knowledge base");
  open.type = "button";
  open.onclick = () => show("knowledge", { knowledgeBaseId: c.knowledgeBaseId, documentId: c.documentId });
  detail.append(element("blockquote", "", c.snippet), element("p", "citation-score", `score ${Number(c.score ?? 0).toFixed(3)}`), open);
  toggle.onclick = () => {
    detail.hidden = !detail.hidden;
    toggle.setAttribute("aria-expanded", String(!detail.hidden));
  };
  item.append(toggle, detail);
  return item;
}

// From GET /api/sessions/{id} and the memory.summarized event; none hides the box.
function showSummary(summary) {
  $("summary").hidden = !summary;
  if (!summary) return;
  $("summary-text").textContent = summary.text;
  const at = summary.at ? new Date(summary.at).toLocaleString() : null;
  $("summary-meta").textContent = [`Covers messages 1 to ${summary.throughIndex}`, summary.model, at].filter(Boolean).join(" · ");
}
