// Training mode (/api/training): choose a task, start and finish an attempt while the console (console.html, in another
// tab) drives the simulated arm, the live elapsed time; then the progress table, a Chart.js line chart of the score of
// each attempt and the CSV download. Trainers (training.review) may show another trainee's progress.
import { api, apiKey, keyForm, showError, escapeHtml, fmt, me } from "./api.js";
import { subscribe } from "./sse.js";

const taskSelect = document.getElementById("task");
const startButton = document.getElementById("start");
const finishButton = document.getElementById("finish");
let tasks = [];
let running = null;      // the running attempt (the service's view), or null
let polledAt = 0;        // performance.now() of the last view of it
let pollTimer = null, tickTimer = null;
let chart = null;
let trainee = "";        // whose progress is shown ("" = the signed-in user)
let geometry = null;     // the last attempt's target and vessel (robot base frame, m)
let tipM = null;         // the commanded tool tip from the controller's telemetry (m)
let stopTelemetry = null;

const can = (permission) => me?.permissions?.includes(permission) ?? false;

function showNote(text) {
  const note = document.getElementById("note");
  note.hidden = !text;
  note.textContent = text ?? "";
}

// Metres in the robot base frame, shown in millimetres.
const mm = (xyz) => `[${xyz.map((x) => fmt(x * 1000, 1)).join(", ")}] mm`;

async function loadTasks() {
  if (!can("training.attempt")) return;
  try {
    tasks = await api("/api/training/tasks");
    showNote(null);
  } catch (err) {
    tasks = [];
    taskSelect.innerHTML = "";
    startButton.disabled = true;
    // 503: not the simulated arm, or no tasks; the reason says what to do.
    if (err.status === 503) { showNote(err.message); return; }
    throw err;
  }
  taskSelect.innerHTML = tasks.map((t) => `<option value="${escapeHtml(t.id)}">${escapeHtml(t.name)}</option>`).join("");
  describeTask();
  running = await api("/api/training/attempts/current");
  polledAt = performance.now();
  showAttempt(running);
  if (running) follow();
}

function describeTask() {
  const t = tasks.find((x) => x.id === taskSelect.value);
  document.getElementById("task-description").textContent = t
    ? `${t.description} Target tolerance ${fmt(t.toleranceMm, 1)} mm; vessel radius ${fmt(t.vesselRadiusMm, 1)} mm; time limit ${fmt(t.timeLimitS, 0)} s.`
    : "";
  if (!running) document.getElementById("limit").textContent = t ? fmt(t.timeLimitS, 0) : "–";
}

function showAttempt(a) {
  const status = document.getElementById("status");
  status.textContent = a ? a.status : "";
  status.className = `badge ${a ? (a.status === "running" ? "running" : "succeeded") : ""}`;
  document.getElementById("elapsed").textContent = a ? fmt(a.elapsedS, 1) : "–";
  if (a) document.getElementById("limit").textContent = fmt(a.timeLimitS, 0);
  document.getElementById("samples").textContent = a ? String(a.samples) : "–";
  const g = a?.geometry;
  if (g) { geometry = g; drawScene(); }
  document.getElementById("target").textContent = g ? `${mm(g.targetM)}, tolerance ${fmt(g.toleranceM * 1000, 1)} mm` : "–";
  document.getElementById("vessel").textContent = g
    ? `${mm(g.vesselAM)} to ${mm(g.vesselBM)}, radius ${fmt(g.vesselRadiusM * 1000, 1)} mm` : "–";
  const s = a?.score;
  document.getElementById("result-title").hidden = !s;
  const result = document.getElementById("result");
  result.hidden = !s;
  result.innerHTML = s ? `<dt>Score</dt><dd><strong>${fmt(s.score, 1)}</strong> / 100</dd>
    <dt>Target reached</dt><dd>${s.reached ? "yes" : "no"}</dd>
    <dt>Time</dt><dd>${fmt(s.timeS, 2)} s</dd>
    <dt>Path length</dt><dd>${fmt(s.pathLengthMm, 1)} mm</dd>
    <dt>Closest to the vessel</dt><dd>${fmt(s.minClearanceMm, 1)} mm${s.minClearanceMm < 0 ? " (inside it)" : ""}</dd>
    <dt>Peak restoring force</dt><dd>${fmt(s.peakForceN, 2)} N</dd>
    <dt>Corridor violations</dt><dd>${s.corridorViolations}</dd>
    <dt>Dimensionless jerk</dt><dd>${fmt(s.dimensionlessJerk, 0)} <span class="muted">(720: a minimum-jerk move; more is less smooth)</span></dd>
    <dt>Ended by</dt><dd>${escapeHtml(a.endedBy ?? "")}</dd>` : "";
  startButton.disabled = !!(a && a.status === "running") || tasks.length === 0;
  finishButton.disabled = !(a && a.status === "running");
  taskSelect.disabled = !!(a && a.status === "running");
}

// While an attempt runs: the service's view every 500 ms (it notices the time limit), the clock every 100 ms between.
function follow() {
  clearTimeout(pollTimer);
  clearInterval(tickTimer);
  tickTimer = setInterval(() => {
    if (!running || running.status !== "running") return;
    document.getElementById("elapsed").textContent = fmt(running.elapsedS + (performance.now() - polledAt) / 1000, 1);
  }, 100);
  const poll = async () => {
    if (!running) return;
    try {
      running = await api(`/api/training/attempts/${encodeURIComponent(running.id)}`);
      polledAt = performance.now();
      showAttempt(running);
      if (running.status === "running") { pollTimer = setTimeout(poll, 500); return; }
      clearInterval(tickTimer);
      await loadProgress();
    } catch (err) { showError("error", err); pollTimer = setTimeout(poll, 2000); }
  };
  pollTimer = setTimeout(poll, 500);
}

startButton.addEventListener("click", async () => {
  try {
    showError("error", null);
    running = await api("/api/training/attempts", { method: "POST", body: { task: taskSelect.value } });
    polledAt = performance.now();
    showAttempt(running);
    follow();
  } catch (err) { showError("error", err); }
});

finishButton.addEventListener("click", async () => {
  if (!running) return;
  try {
    finishButton.disabled = true;
    clearTimeout(pollTimer);
    clearInterval(tickTimer);
    running = await api(`/api/training/attempts/${encodeURIComponent(running.id)}/finish`, { method: "POST" });
    showAttempt(running);
    await loadProgress();
  } catch (err) { showError("error", err); finishButton.disabled = false; }
});

taskSelect.addEventListener("change", describeTask);

// Vector helpers on [x, y, z] arrays.
const sub = (a, b) => a.map((x, i) => x - b[i]);
const dot = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0);
const times = (a, k) => a.map((x) => x * k);
const cross = (a, b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const unit = (a) => times(a, 1 / Math.hypot(...a));

// The path seen from beside it: the home tip → target line runs left to right (u), the vessel's side is up (v); the
// tool tip is projected onto that plane and its distance from it written below.
function drawScene() {
  const canvas = document.getElementById("scene");
  const note = document.getElementById("scene-note");
  const ctx = canvas.getContext("2d");
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (!geometry) { note.textContent = "Start an attempt to see its target and vessel."; return; }
  const g = geometry, home = g.homeTipM;
  const u = unit(sub(g.targetM, home));
  const middle = times(g.vesselAM.map((x, i) => x + g.vesselBM[i]), 0.5);
  let v = sub(sub(middle, home), times(u, dot(sub(middle, home), u)));
  v = Math.hypot(...v) > 1e-9 ? unit(v) : unit(cross(u, Math.abs(u[2]) < 0.9 ? [0, 0, 1] : [0, 1, 0]));
  const w = cross(u, v);
  const lengthMm = dot(sub(g.targetM, home), u) * 1000;
  const sideMm = Math.abs(dot(sub(middle, home), v)) * 1000 + g.vesselRadiusM * 1000 + 5;
  const k = Math.min((canvas.width - 60) / (lengthMm + 20), (canvas.height / 2 - 10) / Math.max(sideMm, 10)); // px per mm
  const x0 = 30 + 10 * k, y0 = canvas.height / 2;
  const at = (p) => { const d = sub(p, home); return [x0 + dot(d, u) * 1000 * k, y0 - dot(d, v) * 1000 * k]; };
  // Vessel: its centre segment drawn as thick as the vessel, with round ends (a capsule).
  const [ax, ay] = at(g.vesselAM), [bx, by] = at(g.vesselBM);
  ctx.lineCap = "round";
  ctx.strokeStyle = "rgba(220, 60, 50, 0.75)";
  ctx.lineWidth = Math.max(2, 2 * g.vesselRadiusM * 1000 * k);
  ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(bx, by); ctx.stroke();
  // The straight path, the target with its tolerance, the home tip.
  const [tx, ty] = at(g.targetM);
  ctx.setLineDash([6, 6]); ctx.lineWidth = 1; ctx.strokeStyle = "#8b949e";
  ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(tx, ty); ctx.stroke();
  ctx.setLineDash([]);
  ctx.strokeStyle = "#3fb950"; ctx.lineWidth = 2;
  ctx.beginPath(); ctx.arc(tx, ty, Math.max(3, g.toleranceM * 1000 * k), 0, 2 * Math.PI); ctx.stroke();
  ctx.fillStyle = "#ffffff";
  ctx.beginPath(); ctx.arc(x0, y0, 3, 0, 2 * Math.PI); ctx.fill();
  if (tipM) {
    const [px, py] = at(tipM);
    ctx.fillStyle = "#e3b341";
    ctx.beginPath(); ctx.arc(px, py, 5, 0, 2 * Math.PI); ctx.fill();
    note.textContent = `Tool tip ${fmt(Math.hypot(...sub(tipM, g.targetM)) * 1000, 1)} mm from the target, ${fmt(dot(sub(tipM, home), w) * 1000, 1)} mm out of this view's plane.`;
  } else {
    note.textContent = "The tool tip appears when the controller's telemetry arrives.";
  }
}

function followTelemetry() {
  stopTelemetry?.();
  stopTelemetry = null;
  if (!can("controller.read")) return;
  stopTelemetry = subscribe("/api/controller/events", (name, data) => {
    if (name !== "telemetry") return;
    const message = JSON.parse(data);
    if (Array.isArray(message.toolM)) { tipM = message.toolM; drawScene(); }
  });
}

const query = () => (trainee ? `?user=${encodeURIComponent(trainee)}` : "");

async function loadProgress() {
  if (!can("training.attempt") && !can("training.review")) return;
  const attempts = await api(`/api/training/scores${query()}`);
  document.getElementById("progress-user").textContent = trainee ? `(${trainee})` : "";
  document.querySelector("#scores tbody").innerHTML = attempts.map((a, i) => {
    const s = a.score;
    return `<tr><td>${i + 1}</td><td>${escapeHtml(new Date(a.startedUtc).toLocaleString())}</td><td>${escapeHtml(a.task)}</td>
      <td>${s.reached ? "yes" : "no"}</td><td>${fmt(s.timeS, 2)}</td><td>${fmt(s.pathLengthMm, 1)}</td><td>${fmt(s.minClearanceMm, 1)}</td>
      <td>${fmt(s.peakForceN, 2)}</td><td>${s.corridorViolations}</td><td>${fmt(s.dimensionlessJerk, 0)}</td><td><strong>${fmt(s.score, 1)}</strong></td></tr>`;
  }).join("") || `<tr><td colspan="11" class="muted">No attempts yet.</td></tr>`;
  drawChart(attempts);
}

// One line per task: the score of each attempt at it, by attempt number (the order they were made).
function drawChart(attempts) {
  if (typeof Chart === "undefined") return; // the build found no npm: no chart library (the service logs it)
  const colours = ["#0b5cad", "#b42318", "#1a7f37", "#8250df", "#bf8700"];
  const byTask = new Map();
  attempts.forEach((a, i) => {
    if (!byTask.has(a.task)) byTask.set(a.task, []);
    byTask.get(a.task).push({ x: i + 1, y: a.score.score });
  });
  const datasets = [...byTask.entries()].map(([task, points], k) => ({
    label: `${task} (score)`, data: points, borderColor: colours[k % colours.length], backgroundColor: colours[k % colours.length],
    pointRadius: 3, borderWidth: 2,
  }));
  if (!chart) {
    chart = new Chart(document.getElementById("progress-chart"), {
      type: "line",
      data: { datasets },
      options: {
        animation: false, maintainAspectRatio: false, parsing: false,
        scales: {
          x: { type: "linear", min: 1, ticks: { precision: 0 }, title: { display: true, text: "attempt" } },
          y: { type: "linear", min: 0, max: 100, title: { display: true, text: "score" } },
        },
        plugins: { legend: { position: "bottom" } },
      },
    });
    window.metaiTrainingChart = chart;
  } else {
    chart.data.datasets = datasets;
    chart.update("none");
  }
}

// The CSV through fetch, so that a personal token or key travels in its header, then saved from a blob.
document.getElementById("csv").addEventListener("click", async (e) => {
  e.preventDefault();
  try {
    const headers = apiKey() ? { "X-Api-Key": apiKey() } : {};
    const response = await fetch(`/api/training/scores.csv${query()}`, { headers });
    if (!response.ok) throw new Error(`CSV download: HTTP ${response.status}`);
    const name = /filename="?([^";]+)"?/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "training.csv";
    const url = URL.createObjectURL(await response.blob());
    const a = Object.assign(document.createElement("a"), { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
  } catch (err) { showError("error", err); }
});

document.getElementById("user-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  trainee = document.getElementById("user").value.trim();
  try { showError("error", null); await loadProgress(); } catch (err) { showError("error", err); }
});

async function refresh() {
  try {
    showError("error", null);
    await loadTasks();
    drawScene();
    followTelemetry();
    await loadProgress();
  } catch (err) { showError("error", err); }
}

keyForm(refresh).then(refresh);
