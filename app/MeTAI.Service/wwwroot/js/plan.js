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
    if (plan.status === "succeeded") { if (!resultsShown) await showResults(); return; }
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
  document.getElementById("isodose-legend").innerHTML = ISODOSE.map(([p, c]) => `<span style="--c:${c}">${p} % (${fmt((p / 100) * plan.prescriptionGy, 1)} Gy)</span>`).join("");
  document.getElementById("structure-legend").innerHTML = dvh.structures.map((s) => `<span style="--c:${s.color}">${escapeHtml(s.name)}</span>`).join("");
  await showSlice();
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
document.getElementById("downloads").addEventListener("click", async (e) => {
  const kind = e.target?.dataset?.kind;
  if (!kind) return;
  e.preventDefault();
  try {
    const response = await fetch(plan.links[kind], { headers: { "X-Api-Key": (await import("./api.js")).apiKey() } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const name = /filename="?([^";]+)"?/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? kind;
    const url = URL.createObjectURL(await response.blob());
    const a = Object.assign(document.createElement("a"), { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
  } catch (err) { showError("error", err); }
});

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
    try { plan = await api(`/api/plans/${encodeURIComponent(id)}/${step}`, { method: "POST" }); showError("error", null); showApproval(); } catch (err) { showError("error", err); }
  });
}

document.getElementById("cancel").addEventListener("click", async () => {
  try { await api(`/api/plans/${encodeURIComponent(id)}/cancel`, { method: "POST" }); poll(); } catch (err) { showError("error", err); }
});
for (const el of ["slice", "opacity", "show-contours"]) document.getElementById(el).addEventListener("input", () => sliceInfo && showSlice());

keyForm(poll);
if (!id) showError("error", new Error("No plan id in the address (plan.html?id=…)."));
else poll();
