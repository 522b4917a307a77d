// The workflows view: save a definition (JSON or YAML), start runs, and watch a run step by step from its event stream,
// approving or denying the steps that wait and cancelling it.
"use strict";

const flows = { list: [], open: null, run: null, follow: null };

function wireWorkflows() {
  $("workflow-form").onsubmit = flowGuard(saveWorkflow);
  $("workflow-run-form").onsubmit = flowGuard(startRun);
  $("workflow-cancel").onclick = flowGuard(async () => showRun(await api(`/api/workflow-runs/${flows.run.id}/cancel`, { method: "POST" })));
}

const flowGuard = (handler) => async (event) => {
  event?.preventDefault?.();
  try { $("workflow-message").textContent = ""; await handler(event); } catch (error) { $("workflow-message").textContent = error.message; }
};

async function openWorkflowsView() {
  flows.list = (await api("/api/workflows")).sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: "base" }));
  $("workflow-list").replaceChildren(...flows.list.map((w) => {
    const item = element("li", w.id === flows.open?.id ? "active" : "");
    item.dataset.id = w.id;
    const open = element("button", "workflow-open");
    open.type = "button";
    open.append(element("strong", null, w.name), element("span", "workflow-meta", `v${w.version} · ${w.definition.steps?.length ?? 0} steps`));
    open.onclick = flowGuard(() => openWorkflow(w));
    item.append(open);
    return item;
  }));
  if (!flows.list.length) $("workflow-list").append(element("li", "empty", "No workflows yet."));
}

async function saveWorkflow() {
  const text = $("workflow-definition").value.trim();
  if (!text) return;
  const type = text.startsWith("{") ? "application/json" : "application/yaml";
  const saved = await api("/api/workflows", { method: "POST", body: text, headers: { "Content-Type": type } });
  $("workflow-definition").value = "";
  await openWorkflowsView();
  await openWorkflow(saved);
}

async function openWorkflow(workflow) {
  flows.open = workflow;
  $("workflow-detail").hidden = false;
  $("workflow-detail").dataset.id = workflow.id;
  $("workflow-title").textContent = workflow.name;
  $("workflow-definition-view").textContent = JSON.stringify(workflow.definition, null, 2);
  document.querySelectorAll("#workflow-list li").forEach((li) => li.classList.toggle("active", li.dataset.id === workflow.id));
  const runs = await api(`/api/workflows/${workflow.id}/runs`);
  $("workflow-runs").replaceChildren(...runs.map((r) => {
    const item = element("li");
    const open = element("button", "workflow-run-open", `${new Date(r.createdAt).toLocaleString()} · ${r.status}`);
    open.type = "button";
    open.onclick = flowGuard(() => watchRun(r.id));
    item.append(open);
    return item;
  }));
}

async function startRun() {
  const run = await api(`/api/workflows/${flows.open.id}/runs`, { method: "POST", body: JSON.stringify({ input: $("workflow-input").value }) });
  await watchRun(run.id);
  await openWorkflow(flows.open);
}

// Follows GET /api/workflow-runs/{id}/events (fetch, so the key goes in a header); each event carries the whole run.
async function watchRun(runId) {
  flows.follow?.abort();
  const follow = new AbortController();
  flows.follow = follow;
  showRun(await api(`/api/workflow-runs/${runId}`));
  const response = await fetch(`/api/workflow-runs/${runId}/events`, { headers: { Authorization: `Bearer ${apiKey()}` }, signal: follow.signal });
  if (!response.ok) return;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const data = buffer.slice(0, end).split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
          buffer = buffer.slice(end + 2);
          if (data && flows.follow === follow) {
            const parsed = JSON.parse(data);
            showRun(parsed.run ?? parsed);
          }
        }
      }
    } catch (error) {
      if (error.name !== "AbortError") $("workflow-message").textContent = error.message;
    }
  })();
}

function showRun(run) {
  // An event can arrive after a newer read of the same run; the older one is not shown.
  if (flows.run?.id === run.id && (run.sequence ?? 0) < (flows.run.sequence ?? 0)) return;
  flows.run = run;
  const panel = $("workflow-run");
  panel.hidden = false;
  panel.dataset.id = run.id;
  panel.dataset.status = run.status;
  $("workflow-run-title").textContent = `Run ${run.id}`;
  $("workflow-run-status").textContent = run.status + (run.code ? ` (${run.code}: ${run.error})` : "") + (run.resumptions ? ` · resumed ${run.resumptions}×` : "");
  $("workflow-cancel").hidden = !["running", "waiting_approval"].includes(run.status);
  $("workflow-steps").replaceChildren(...run.steps.map(stepItem));
  $("workflow-output").textContent = run.output ?? "";
}

function stepItem(step) {
  const item = element("li", "workflow-step");
  item.dataset.stepId = step.stepId;
  item.dataset.status = step.status;
  item.append(element("strong", null, step.stepId), element("span", "workflow-step-kind", step.kind), element("span", "workflow-step-status", step.status));
  if (step.prompt) item.append(element("p", "workflow-step-prompt", step.prompt));
  // A tool step that waits shows its arguments as the tool will get them once approved.
  if (step.arguments) item.append(element("pre", "workflow-step-output workflow-step-arguments", step.arguments));
  if (step.output) item.append(element("pre", "workflow-step-output", step.output));
  if (step.error) item.append(element("p", "workflow-step-error", `${step.code}: ${step.error}`));
  if (step.status === "waiting_approval") {
    const approve = element("button", "workflow-approve", "Approve");
    const deny = element("button", "workflow-deny", "Deny");
    approve.type = deny.type = "button";
    const decide = (approved) => flowGuard(async () => {
      approve.disabled = deny.disabled = true;
      showRun(await api(`/api/workflow-runs/${flows.run.id}/approvals/${encodeURIComponent(step.stepId)}`, { method: "POST", body: JSON.stringify({ approved }) }));
    });
    approve.onclick = decide(true);
    deny.onclick = decide(false);
    item.append(approve, deny);
  }
  return item;
}
