// Rehearsal list and the new-rehearsal form (/api/rehearsals). A finished rehearsal links to its 3D scene.
import { api, keyForm, showError, escapeHtml, fmt, me } from "./api.js";

const caseSelect = document.getElementById("case");
const targetSelect = document.getElementById("target");
const avoidSelect = document.getElementById("avoid");
const planSelect = document.getElementById("plan");
let phantoms = [];
let uploads = [];
let plans = [];

async function loadForm() {
  if (!me?.permissions?.includes("rehearsals.write")) return;
  const cases = await api("/api/rehearsals/cases");
  phantoms = cases.phantoms;
  uploads = await api("/api/uploads").catch(() => []);
  plans = await api("/api/plans").catch(() => []);
  caseSelect.innerHTML =
    `<optgroup label="Built-in phantoms">${phantoms.map((p) => `<option value="case:${escapeHtml(p.name)}">${escapeHtml(p.name)}</option>`).join("")}</optgroup>` +
    (uploads.length ? `<optgroup label="Uploaded cases">${uploads.map((u) => `<option value="upload:${escapeHtml(u.id)}">${escapeHtml(u.name)} (${u.slices} slices)</option>`).join("")}</optgroup>` : "");
  fillRois();
}

// The ROIs of the chosen case: a phantom's from its avatar config, an upload's from its structure set.
function fillRois() {
  const [kind, value] = caseSelect.value.split(/:(.*)/s);
  const names = kind === "case"
    ? phantoms.find((p) => p.name === value)?.structures ?? []
    : (uploads.find((u) => u.id === value)?.structures ?? []).map((s) => s.name);
  const options = names.map((n) => `<option value="${escapeHtml(n)}">${escapeHtml(n)}</option>`).join("");
  targetSelect.innerHTML = options;
  avoidSelect.innerHTML = options;
  for (const [select, wanted] of [[targetSelect, ["Tumor", "GTV", "PTV"]], [avoidSelect, ["Vessel"]]]) {
    for (const o of select.options) if (wanted.includes(o.value)) { o.selected = true; if (select === targetSelect) break; }
  }
  // The scene can show the isodoses of a succeeded plan of the same upload (docs/scene.md); a phantom has none.
  const own = kind === "upload" ? plans.filter((p) => p.uploadId === value && p.status === "succeeded") : [];
  planSelect.innerHTML = `<option value="">No plan</option>` + own.map((p) =>
    `<option value="${escapeHtml(p.id)}">${escapeHtml(p.protocol)}, ${fmt(p.prescriptionGy, 1)} Gy (${escapeHtml(p.approval)}, ${escapeHtml(p.id.slice(0, 8))}…)</option>`).join("");
  planSelect.disabled = own.length === 0;
}

async function loadList() {
  const list = await api("/api/rehearsals");
  const canWrite = me?.permissions?.includes("rehearsals.write");
  document.querySelector("#rehearsals tbody").innerHTML = list.map((r) => {
    const done = r.status === "succeeded";
    const active = r.status === "queued" || r.status === "running";
    const clearance = r.result ? `${fmt(r.result.minClearanceMm, 1)} mm${r.result.feasible ? "" : " (not feasible)"}` : "";
    return `<tr data-id="${escapeHtml(r.id)}">
      <td>${done ? `<a href="scene.html?id=${encodeURIComponent(r.id)}">${escapeHtml(r.id.slice(-8))} · 3D scene</a>` : escapeHtml(r.id.slice(-8))}</td>
      <td>${escapeHtml(r.caseName)}</td><td>${escapeHtml(r.target)}${r.avoid.length ? ` <span class="muted">avoid ${escapeHtml(r.avoid.join(", "))}</span>` : ""}</td>
      <td><span class="badge ${r.status}">${r.status}</span>${r.error ? ` <span class="error">${escapeHtml(r.error)}</span>` : ""}</td>
      <td><span class="progress small" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${Math.round(r.progress * 100)}"><div></div></span> ${Math.round(r.progress * 100)} % <span class="muted">${escapeHtml(active ? r.phase ?? "" : "")}</span></td>
      <td>${clearance}</td><td>${escapeHtml(r.submittedBy ?? "")}</td>
      <td>${active && canWrite ? `<button type="button" class="secondary cancel">Cancel</button>` : ""}</td></tr>`;
  }).join("") || `<tr><td colspan="8" class="muted">No rehearsals yet.</td></tr>`;
  // Bar widths through the CSSOM: the Content-Security-Policy allows no style attributes in markup.
  document.querySelectorAll("#rehearsals .progress.small").forEach((bar) => { bar.firstElementChild.style.width = `${bar.getAttribute("aria-valuenow")}%`; });
  return list.some((r) => r.status === "queued" || r.status === "running");
}

document.querySelector("#rehearsals tbody").addEventListener("click", async (e) => {
  if (!e.target.classList.contains("cancel")) return;
  const id = e.target.closest("tr").dataset.id;
  try { await api(`/api/rehearsals/${encodeURIComponent(id)}/cancel`, { method: "POST" }); poll(); } catch (err) { showError("error", err); }
});

document.getElementById("rehearsal-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const [kind, value] = caseSelect.value.split(/:(.*)/s);
  const body = {
    target: targetSelect.value,
    avoid: [...avoidSelect.selectedOptions].map((o) => o.value).filter((n) => n !== targetSelect.value),
    candidates: Number(document.getElementById("candidates").value),
    minClearanceMm: Number(document.getElementById("clearance").value),
  };
  const resolution = document.getElementById("resolution").value;
  if (resolution) body.resolutionMm = Number(resolution);
  if (kind === "case") body.case = value; else body.uploadId = value;
  if (planSelect.value) body.planId = planSelect.value;
  try {
    showError("error", null);
    await api("/api/rehearsals", { method: "POST", body });
    poll();
  } catch (err) { showError("error", err); }
});

caseSelect.addEventListener("change", fillRois);

let timer = null;
async function poll() {
  clearTimeout(timer);
  try {
    const active = await loadList();
    timer = setTimeout(poll, active ? 1000 : 5000);
  } catch (err) { showError("error", err); }
}

async function refresh() {
  try {
    showError("error", null);
    await loadForm();
    poll();
  } catch (err) { showError("error", err); }
}

keyForm(refresh).then(refresh);
