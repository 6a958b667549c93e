// Plan list, new-plan form and upload form.
import { api, keyForm, showError, escapeHtml } from "./api.js";

const caseSelect = document.getElementById("case");
const protocolSelect = document.getElementById("protocol");
let protocols = [];

async function loadForm() {
  const [cases, protos, uploads] = await Promise.all([api("/api/cases"), api("/api/protocols"), api("/api/uploads")]);
  protocols = protos;
  const withProtocol = cases.filter((c) => c.protocol);
  caseSelect.innerHTML =
    `<optgroup label="Built-in phantoms">${withProtocol.map((c) => `<option value="case:${escapeHtml(c.name)}" data-protocol="${escapeHtml(c.protocol)}">${escapeHtml(c.name)}</option>`).join("")}</optgroup>` +
    (uploads.length ? `<optgroup label="Uploaded cases">${uploads.map((u) => `<option value="upload:${escapeHtml(u.id)}">${escapeHtml(u.name)} (${u.slices} slices${u.deidentified ? ", de-identified" : ""})</option>`).join("")}</optgroup>` : "");
  protocolSelect.innerHTML = protos.map((p) => `<option value="${escapeHtml(p.name)}">${escapeHtml(p.name)} — ${p.prescription.doseGy} Gy to ${escapeHtml(p.prescription.target)}</option>`).join("");
  matchProtocol();
}

function matchProtocol() {
  const option = caseSelect.selectedOptions[0];
  if (option?.dataset.protocol) protocolSelect.value = option.dataset.protocol;
  describeProtocol();
}

function describeProtocol() {
  const p = protocols.find((x) => x.name === protocolSelect.value);
  document.getElementById("protocol-description").textContent = p ? `${p.description} (${p.beams} beams by default)` : "";
}

async function loadPlans() {
  const plans = await api("/api/plans");
  const rows = plans.map((p) => {
    const goals = p.goals ? `${p.goals.filter((g) => g.passed).length}/${p.goals.length} passed` : "";
    return `<tr>
      <td><a href="plan.html?id=${encodeURIComponent(p.id)}">${escapeHtml(p.id.slice(-8))}</a></td>
      <td>${escapeHtml(p.case)}</td><td>${escapeHtml(p.protocol)}</td>
      <td><span class="badge ${p.status}">${p.status}</span></td>
      <td><span class="progress small" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${Math.round(p.progress * 100)}"><div style="width:${p.progress * 100}%"></div></span> ${Math.round(p.progress * 100)} %</td>
      <td>${goals}</td>
      <td>${new Date(p.createdUtc).toLocaleString()}</td></tr>`;
  });
  document.querySelector("#plans tbody").innerHTML = rows.join("") || `<tr><td colspan="7" class="muted">No plans yet.</td></tr>`;
  return plans.some((p) => p.status === "queued" || p.status === "running");
}

document.getElementById("plan-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const [kind, value] = caseSelect.value.split(/:(.*)/s);
  const body = { protocol: protocolSelect.value };
  // Standard sends no histories: the planner's defaults apply.
  const statistics = document.getElementById("statistics").selectedOptions[0].dataset;
  if (statistics.histories) body.histories = Number(statistics.histories);
  if (statistics.beamletHistories) body.beamletHistories = Number(statistics.beamletHistories);
  if (kind === "case") { body.case = value; body.voxelMm = Number(document.getElementById("voxel").value); } else body.uploadId = value;
  const beams = document.getElementById("beams").value;
  if (beams) body.beams = Number(beams);
  try {
    showError("error", null);
    const plan = await api("/api/plans", { method: "POST", body });
    location.href = `plan.html?id=${encodeURIComponent(plan.id)}`;
  } catch (err) { showError("error", err); }
});

document.getElementById("upload-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const file = document.getElementById("upload-file").files[0];
  if (!file) return;
  const params = new URLSearchParams({ deidentify: document.getElementById("upload-deid").checked, name: document.getElementById("upload-name").value || file.name.replace(/\.zip$/i, "").replace(/[^A-Za-z0-9 ._()+,-]/g, "-").slice(0, 64) });
  const result = document.getElementById("upload-result");
  result.textContent = "Uploading and checking…";
  try {
    showError("error", null);
    const u = await api(`/api/uploads?${params}`, { method: "POST", body: file, headers: { "Content-Type": "application/zip" } });
    result.textContent = `Stored ${u.name}: ${u.slices} CT slices, structures ${u.structures.map((s) => s.name).join(", ")}.`;
    await loadForm();
    caseSelect.value = `upload:${u.id}`;
  } catch (err) { result.textContent = ""; showError("error", err); }
});

caseSelect.addEventListener("change", matchProtocol);
protocolSelect.addEventListener("change", describeProtocol);

async function refresh() {
  try {
    showError("error", null);
    await loadForm();
    poll();
  } catch (err) { showError("error", err); }
}

let timer = null;
async function poll() {
  clearTimeout(timer);
  try {
    const active = await loadPlans();
    timer = setTimeout(poll, active ? 1000 : 5000);
  } catch (err) { showError("error", err); }
}

keyForm(refresh);
refresh();
