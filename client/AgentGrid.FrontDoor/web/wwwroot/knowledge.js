// The knowledge view: knowledge bases, their documents' ingestion (polled while any is in progress), uploads and search.
"use strict";

const kb = { list: null, selected: null, highlight: null, scrolled: false, timer: null, generation: 0, countsStale: false };
const settled = (d) => d.state === "ready" || d.state === "failed";
const kbPath = (...parts) => ["/api/knowledge-bases", ...parts.map(encodeURIComponent)].join("/");

function knowledgeMessage(text) { $("kb-message").textContent = text ?? ""; }

const kbGuard = (handler) => async (event) => {
  try { knowledgeMessage(""); await handler(event); } catch (error) { knowledgeMessage(error.message); }
};

function wireKnowledge() {
  $("kb-create-form").onsubmit = kbGuard(createKnowledgeBase);
  $("kb-search-form").onsubmit = kbGuard(searchKnowledgeBase);
  $("kb-file").onchange = () => {
    const files = [...$("kb-file").files];
    $("kb-file").value = "";
    uploadDocuments(files);
  };
  const drop = $("kb-drop");
  drop.ondragenter = drop.ondragover = (event) => { event.preventDefault(); drop.classList.add("dragging"); };
  drop.ondragleave = () => drop.classList.remove("dragging");
  drop.ondrop = (event) => {
    event.preventDefault();
    drop.classList.remove("dragging");
    uploadDocuments([...event.dataTransfer.files]);
  };
  // A file dropped beside the zone must not make the browser leave the page to show it.
  const ignoreFiles = (event) => { if (event.dataTransfer?.types.includes("Files")) event.preventDefault(); };
  window.addEventListener("dragover", ignoreFiles);
  window.addEventListener("drop", ignoreFiles);
}

// The knowledge bases of the tenant, loaded once and again after each change here.
async function knowledgeBaseList() { return kb.list ?? await loadKnowledgeBases(); }

async function loadKnowledgeBases() {
  kb.list = ((await api("/api/knowledge-bases")).knowledgeBases ?? []).sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" }));
  renderKnowledgeBases();
  return kb.list;
}

function renderKnowledgeBases() {
  $("kb-list").replaceChildren(...kb.list.map((b) => {
    const item = element("li");
    item.dataset.id = b.id;
    item.classList.toggle("active", b.id === kb.selected);
    const open = element("button", "kb-open");
    open.type = "button";
    open.append(element("strong", "", b.name), element("span", "kb-counts", `${b.documentCount} documents · ${b.chunkCount} chunks`));
    open.onclick = kbGuard(() => selectKnowledgeBase(b.id));
    const remove = element("button", "kb-delete", "Delete");
    remove.type = "button";
    remove.setAttribute("aria-label", `Delete knowledge base ${b.name}`);
    remove.onclick = kbGuard(() => deleteKnowledgeBase(b, remove));
    item.append(open, remove);
    if (b.description) item.append(element("p", "kb-description", b.description));
    return item;
  }));
  if (!kb.list.length) $("kb-list").append(element("li", "empty", "No knowledge bases yet."));
}

async function openKnowledgeView(id = kb.selected, highlight = null) {
  await loadKnowledgeBases();
  if (id && kb.list.some((b) => b.id === id)) return selectKnowledgeBase(id, highlight);
  closeKnowledgeBase();
  if (id && highlight) knowledgeMessage("That knowledge base no longer exists.");
}

async function createKnowledgeBase(event) {
  event.preventDefault();
  const description = $("kb-create-description").value.trim();
  const created = await api("/api/knowledge-bases", {
    method: "POST",
    body: JSON.stringify({ name: $("kb-create-name").value.trim(), description: description || null }),
  });
  $("kb-create-form").reset();
  await loadKnowledgeBases();
  renderKnowledgeChoices();
  await selectKnowledgeBase(created.id);
}

// Deleting takes a second click: it removes every document of the knowledge base.
async function deleteKnowledgeBase(b, button) {
  if (button.dataset.armed !== "true") {
    button.dataset.armed = "true";
    button.textContent = "Delete it and its documents?";
    button.onblur = () => { button.dataset.armed = "false"; button.textContent = "Delete"; };
    return;
  }
  await api(kbPath(b.id), { method: "DELETE" });
  if (kb.selected === b.id) closeKnowledgeBase();
  await loadKnowledgeBases();
  renderKnowledgeChoices();
}

async function selectKnowledgeBase(id, highlight = null) {
  const base = kb.list?.find((b) => b.id === id);
  Object.assign(kb, { selected: id, highlight, scrolled: false });
  $("kb-list").querySelectorAll("li").forEach((li) => li.classList.toggle("active", li.dataset.id === id));
  $("kb-detail").hidden = false;
  $("kb-title").textContent = base?.name ?? id;
  $("kb-meta").textContent = base ? `Chunks of ${base.chunkSize} with ${base.chunkOverlap} overlap · embedded by ${base.embeddingModel}` : "";
  $("kb-documents").tBodies[0].replaceChildren();
  $("kb-results").replaceChildren();
  $("kb-upload-error").replaceChildren();
  await reloadDocuments();
}

function closeKnowledgeBase() {
  stopKnowledgePolling();
  kb.selected = null;
  $("kb-detail").hidden = true;
}

// A newer generation makes an older poll's answer, and its next poll, void.
function stopKnowledgePolling() {
  clearTimeout(kb.timer);
  kb.timer = null;
  kb.generation++;
}

async function reloadDocuments() {
  stopKnowledgePolling();
  await pollDocuments(kb.generation);
}

async function pollDocuments(generation) {
  let documents;
  try {
    ({ documents } = await api(kbPath(kb.selected, "documents")));
  } catch (error) {
    if (generation === kb.generation) knowledgeMessage(error.message);
    return;
  }
  if (generation !== kb.generation) return;
  renderDocuments(documents);
  if (documents.some((d) => !settled(d))) {
    kb.countsStale = true;
    kb.timer = setTimeout(() => pollDocuments(generation), 700);
  } else if (kb.countsStale) {
    kb.countsStale = false;
    loadKnowledgeBases().catch((error) => knowledgeMessage(error.message));
  }
}

function renderDocuments(documents) {
  const body = $("kb-documents").tBodies[0];
  body.replaceChildren(...documents.map(documentRow));
  if (!documents.length) cell(body.insertRow(), "No documents yet: drop files above.").colSpan = 6;
  const highlighted = body.querySelector("tr.highlight");
  if (highlighted && !kb.scrolled) { kb.scrolled = true; highlighted.scrollIntoView({ block: "center" }); }
}

function documentRow(d) {
  const row = element("tr");
  row.id = `kb-doc-${d.id}`;
  row.dataset.id = d.id;
  row.dataset.state = d.state;
  row.classList.toggle("highlight", d.id === kb.highlight);
  [d.name, d.type, formatBytes(d.sizeBytes), `v${d.version}`].forEach((v) => cell(row, v));
  const progress = cell(row, "");
  const bar = element("progress");
  bar.max = 1;
  bar.value = d.progress ?? 0;
  bar.setAttribute("aria-label", `${d.name}: ${d.state}`);
  progress.append(bar, element("span", "doc-state", d.state === "ready" ? `ready · ${d.chunks} chunks` : d.state));
  if (d.state === "failed") progress.append(element("p", "doc-error", `${d.errorCode ?? "failed"}: ${d.error ?? ""}`));
  const remove = element("button", "doc-delete", "Delete");
  remove.type = "button";
  remove.setAttribute("aria-label", `Delete ${d.name}`);
  remove.onclick = kbGuard(async () => {
    await api(kbPath(kb.selected, "documents", d.id), { method: "DELETE" });
    kb.countsStale = true;
    await reloadDocuments();
  });
  cell(row, "").append(remove);
  return row;
}

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// One request with every file under the field "files"; the whole upload is refused if any file is.
async function uploadDocuments(files) {
  const id = kb.selected, progress = $("kb-upload-status"), failure = $("kb-upload-error");
  failure.replaceChildren();
  if (!files.length || !id) return;
  const form = new FormData();
  files.forEach((file) => form.append("files", file, file.name));
  progress.textContent = `Uploading ${files.length === 1 ? files[0].name : `${files.length} files`}…`;
  try {
    await api(kbPath(id, "documents"), { method: "POST", body: form });
    kb.countsStale = true;
    if (kb.selected === id) await reloadDocuments();
  } catch (error) {
    failure.replaceChildren(element("strong", "", error.code ?? String(error.status ?? "error")), ` ${error.detail ?? error.message}`);
  } finally {
    progress.textContent = "";
  }
}

async function searchKnowledgeBase(event) {
  event.preventDefault();
  const q = $("kb-search-q").value.trim();
  if (!q || !kb.selected) return;
  const query = new URLSearchParams({ q, k: "5", mode: $("kb-search-mode").value });
  const { results } = await api(`${kbPath(kb.selected, "search")}?${query}`);
  $("kb-results").replaceChildren(...results.map((r) => {
    const item = element("li");
    item.dataset.documentId = r.documentId;
    item.dataset.chunkId = r.chunkId;
    const head = element("p", "result-head");
    head.append(element("strong", "", r.documentName), element("span", "score", Number(r.score ?? 0).toFixed(3)));
    if (r.heading) head.append(element("span", "heading", r.heading));
    item.append(head, element("p", "result-text", r.text));
    return item;
  }));
  if (!results.length) $("kb-results").append(element("li", "empty", "No passage matches."));
}
