// One plan: live progress, then goals, DVH (Chart.js), axial dose view and downloads.
import { api, keyForm, showError, fmt, escapeHtml } from "./api.js";
import { drawSlice, ISODOSE, orientationText } from "./doseview.js";

const id = new URLSearchParams(location.search).get("id");
const labels = {
  rtplan: "RT Plan (DICOM)", rtdose: "RT Dose (DICOM)", rtstruct: "RT Structure Set (DICOM)", ct: "CT series (zip)", report: "Report (JSON)",
  "dvh-plot": "DVH plot (PNG)", "dose-plot": "Axial dose plot (PNG)", log: "Planner log (text)",
};
let plan = null, sliceInfo = null, resultsShown = false;
const sliceCache = new Map();

function setProgress(p) {
  const percent = Math.round(p.progress * 100);
  const bar = document.getElementById("progress");
  bar.setAttribute("aria-valuenow", String(percent));
  bar.firstElementChild.style.width = `${percent}%`;
  document.getElementById("progress-text").textContent = `${percent} %`;
  const status = document.getElementById("status");
  status.textContent = p.status;
  status.className = `badge ${p.status}`;
  document.getElementById("phase").textContent = p.phase ?? "";
  document.getElementById("plan-title").textContent = `Plan ${p.id.slice(-8)} — ${p.case}, protocol ${p.protocol}`;
  document.getElementById("cancel").hidden = !(p.status === "queued" || p.status === "running");
  const error = document.getElementById("plan-error");
  error.hidden = !p.error;
  error.textContent = p.error ?? "";
  document.getElementById("summary").textContent = p.summary ? `${p.runner}: ${p.summary}` : (p.runner ?? "");
}

async function poll() {
  try {
    plan = await api(`/api/plans/${encodeURIComponent(id)}`);
    showError("error", null);
    setProgress(plan);
    showApproval();
    if (plan.status === "succeeded") { if (!resultsShown) { await pollCheck(); await showResults(); } return; }
    if (plan.status === "queued" || plan.status === "running") setTimeout(poll, 500);
  } catch (err) {
    showError("error", err);
    if (err.status !== 404) setTimeout(poll, 3000);
  }
}

async function showResults() {
  resultsShown = true;
  document.getElementById("results").hidden = false;
  document.querySelector("#goals tbody").innerHTML = plan.goals.map((g) => `<tr>
      <td>${escapeHtml(g.structure)}</td><td>${escapeHtml(g.metric)}</td>
      <td class="num">${escapeHtml(g.comparison)} ${fmt(g.target)} ${escapeHtml(g.unit)}</td>
      <td class="num">${fmt(g.achieved)} ${escapeHtml(g.unit)}</td>
      <td><span class="badge ${g.passed ? "pass" : "fail"}">${g.passed ? "pass" : "fail"}</span></td></tr>`).join("")
    || `<tr><td colspan="5" class="muted">The protocol states no goals.</td></tr>`;
  document.getElementById("downloads").innerHTML = Object.entries(labels)
    .map(([kind, label]) => `<li><a href="#" data-kind="${kind}">${label}</a></li>`).join("");
  const [dvh, info] = await Promise.all([api(`/api/plans/${encodeURIComponent(id)}/dvh`), api(`/api/plans/${encodeURIComponent(id)}/slices`)]);
  drawDvh(dvh);
  sliceInfo = info;
  const slider = document.getElementById("slice");
  slider.max = String(info.count - 1);
  slider.value = String(info.defaultSlice);
  const orientation = orientationText(info);
  document.getElementById("orientation").textContent = orientation;
  document.getElementById("dose").setAttribute("aria-label", `CT slice with dose colour-wash and isodose lines. ${orientation}`);
  legend("isodose-legend", ISODOSE.map(([p, c]) => [`${p} % (${fmt((p / 100) * plan.prescriptionGy, 1)} Gy)`, c]));
  legend("structure-legend", dvh.structures.map((s) => [s.name, s.color]));
  await showSlice();
}

// Legend entries with their colour in the CSS variable --c, set through the CSSOM: the Content-Security-Policy
// allows no style attributes in markup.
function legend(elementId, entries) {
  document.getElementById(elementId).replaceChildren(...entries.map(([text, colour]) => {
    const span = document.createElement("span");
    span.textContent = text;
    span.style.setProperty("--c", colour);
    return span;
  }));
}

function drawDvh(dvh) {
  const datasets = dvh.structures.map((s) => ({
    label: s.name,
    data: s.volumePercent.map((v, b) => ({ x: b * dvh.binGy, y: v })),
    borderColor: s.color,
    backgroundColor: s.color,
    borderWidth: 2,
    pointRadius: 0,
    tension: 0,
  }));
  // Exposed for tests and for the curious: the chart instance and its data.
  window.metaiDvhChart = new Chart(document.getElementById("dvh"), {
    type: "line",
    data: { datasets },
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      interaction: { mode: "nearest", intersect: false },
      scales: {
        x: { type: "linear", title: { display: true, text: "Dose (Gy)" }, min: 0 },
        y: { type: "linear", title: { display: true, text: "Volume (%)" }, min: 0, max: 100 },
      },
      plugins: {
        legend: { position: "bottom" },
        tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${c.parsed.y.toFixed(1)} % at ${c.parsed.x.toFixed(2)} Gy` } },
      },
    },
  });
}

async function showSlice() {
  const k = Number(document.getElementById("slice").value);
  document.getElementById("slice-label").textContent = `${k + 1} / ${sliceInfo.count} (z = ${sliceInfo.zMm[k].toFixed(1)} mm)`;
  if (!sliceCache.has(k)) sliceCache.set(k, api(`/api/plans/${encodeURIComponent(id)}/slices/${k}`));
  const slice = await sliceCache.get(k);
  if (Number(document.getElementById("slice").value) !== k) return; // a newer slice was asked for meanwhile
  drawSlice(document.getElementById("dose"), slice, sliceInfo, plan.prescriptionGy, {
    opacity: Number(document.getElementById("opacity").value),
    contours: document.getElementById("show-contours").checked,
  });
  document.getElementById("dose").dataset.slice = String(k);
}

// Downloads go through fetch so the key travels in the header, then are saved from a blob.
document.getElementById("downloads").addEventListener("click", (e) => {
  const kind = e.target?.dataset?.kind;
  if (!kind) return;
  e.preventDefault();
  download(plan.links[kind], kind).catch((err) => showError("error", err));
});

async function download(link, kind) {
  const response = await fetchFile(link);
  const name = /filename="?([^";]+)"?/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? kind;
  const url = URL.createObjectURL(await response.blob());
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

// Review and approval (physicists and physicians; the buttons are hidden for other roles and the service refuses them).
function showApproval() {
  const panel = document.getElementById("approval-panel");
  panel.hidden = plan.status !== "succeeded";
  const badge = document.getElementById("approval");
  badge.textContent = plan.approval;
  badge.className = `badge ${plan.approval === "approved" ? "pass" : ""}`;
  const r = plan.review;
  document.getElementById("approval-detail").textContent = !r ? "Not reviewed yet."
    : `Reviewed by ${r.reviewedBy} (${new Date(r.reviewedUtc).toLocaleString()})` + (r.approvedBy ? `; approved by ${r.approvedBy} (${new Date(r.approvedUtc).toLocaleString()}), written into the RT Plan` : "");
  document.getElementById("review").disabled = plan.approval !== "draft";
  document.getElementById("approve").disabled = plan.approval !== "reviewed";
}

for (const step of ["review", "approve"]) {
  document.getElementById(step).addEventListener("click", async () => {
    try { plan = await api(`/api/plans/${encodeURIComponent(id)}/${step}`, { method: "POST" }); showError("error", null); showApproval(); await pollCheck(); } catch (err) { showError("error", err); }
  });
}

// The second check: a job like the plan (queued, running with progress, then its figures and gamma map).
let checkShown = null, checkRequested = false;
async function pollCheck() {
  let check = null;
  // The plan view names its latest check; without one (and none asked for here) there is nothing to fetch.
  if (plan.secondCheck || checkRequested) {
    try { check = await api(`/api/plans/${encodeURIComponent(id)}/second-check`); } catch (err) { if (err.status !== 404) { showError("check-error", err); return; } }
  }
  showError("check-error", null);
  const status = document.getElementById("check-status");
  status.textContent = check ? (check.result ? (check.result.passed ? "passed" : "failed") : check.status) : "not run";
  status.className = `badge ${check?.result ? (check.result.passed ? "pass" : "fail") : (check?.status ?? "")}`;
  const active = check?.status === "queued" || check?.status === "running";
  document.getElementById("check-phase").textContent = check ? (active ? check.phase ?? "" : check.error ?? `requested by ${check.requestedBy ?? "?"}`) : "No second check yet.";
  const bar = document.getElementById("check-progress");
  bar.hidden = !active;
  bar.setAttribute("aria-valuenow", String(Math.round((check?.progress ?? 0) * 100)));
  bar.firstElementChild.style.width = `${Math.round((check?.progress ?? 0) * 100)}%`;
  document.getElementById("run-check").disabled = active || plan.approval === "approved";
  document.getElementById("cancel-check").hidden = !active;
  showCheckResult(check);
  if (active) setTimeout(pollCheck, 1000);
}

async function showCheckResult(check) {
  const r = check?.result;
  document.getElementById("check-figures").hidden = !r;
  document.getElementById("check-links").hidden = !r;
  document.getElementById("check-plot").hidden = !r;
  if (!r || checkShown === check.id) return;
  checkShown = check.id;
  const rows = [
    ["Gamma pass rate", `${fmt(r.gammaPassRatePercent, 1)} % (${r.passedVoxels}/${r.analysedVoxels} voxels; ${fmt(r.passRateRequiredPercent, 0)} % required)`],
    ["Criteria", r.criteria],
    ["Max dose difference", `${fmt(r.maxDoseDifferenceGy, 2)} Gy (${fmt(r.maxDoseDifferencePercent, 1)} % of the plan's maximum)`],
    ["Maximum dose", `plan ${fmt(r.planMaxDoseGy, 2)} Gy, second check ${fmt(r.checkMaxDoseGy, 2)} Gy`],
    ["Mean gamma", fmt(r.meanGamma, 3)],
    ["Monte Carlo", `${(r.histories / 1e6).toFixed(1)} M histories, σ(D>50%) ${fmt(100 * r.meanRelUncertaintyAbove50, 1)} %${r.denoised ? ", denoised" : ""}, ${r.fractions} fx, ${escapeHtml(r.device)}, ${fmt(r.seconds, 0)} s`],
  ];
  document.getElementById("check-figures").innerHTML = rows.map(([k, v]) => `<dt>${k}</dt><dd>${escapeHtml(v)}</dd>`).join("");
  const png = await fetchFile(check.links["gamma-plot"]);
  document.getElementById("check-plot").src = URL.createObjectURL(await png.blob());
}

async function fetchFile(url) {
  const response = await fetch(url, { headers: { "X-Api-Key": (await import("./api.js")).apiKey() } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response;
}

document.getElementById("run-check").addEventListener("click", async () => {
  try { await api(`/api/plans/${encodeURIComponent(id)}/second-check`, { method: "POST" }); checkShown = null; checkRequested = true; await pollCheck(); } catch (err) { showError("check-error", err); }
});
document.getElementById("cancel-check").addEventListener("click", async () => {
  try { await api(`/api/plans/${encodeURIComponent(id)}/second-check/cancel`, { method: "POST" }); await pollCheck(); } catch (err) { showError("check-error", err); }
});
document.getElementById("check-links").addEventListener("click", (e) => {
  const kind = e.target?.dataset?.checkKind;
  if (!kind) return;
  e.preventDefault();
  download(`/api/plans/${encodeURIComponent(id)}/second-check/files/${kind}`, kind).catch((err) => showError("error", err));
});

document.getElementById("cancel").addEventListener("click", async () => {
  try { await api(`/api/plans/${encodeURIComponent(id)}/cancel`, { method: "POST" }); poll(); } catch (err) { showError("error", err); }
});
for (const el of ["slice", "opacity", "show-contours"]) document.getElementById(el).addEventListener("input", () => sliceInfo && showSlice());

keyForm(poll);
if (!id) showError("error", new Error("No plan id in the address (plan.html?id=…)."));
else poll();
