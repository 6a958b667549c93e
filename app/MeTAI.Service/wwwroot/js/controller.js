// Controller page: state machine, interlocks and loop latency from /api/controller/events (SSE).
import { api, keyForm, showError, fmt, escapeHtml } from "./api.js";
import { subscribe } from "./sse.js";

const BAD = new Set(["Fault", "EStop", "Paused"]);
let status = null;
let stop = null;
const history = []; // { t, jitter, step }
let chart = null, lastChartUpdate = 0;

function render() {
  if (!status) return;
  document.getElementById("robot").textContent = status.robot ?? "–";
  document.getElementById("mode").textContent = status.mode;
  document.getElementById("cycle").textContent = status.cycle ?? "–";
  document.getElementById("last").textContent = status.lastMessageUtc ? new Date(status.lastMessageUtc).toLocaleTimeString() : "–";
  const link = document.getElementById("link");
  link.textContent = status.connected ? "connected" : "not connected";
  link.className = `badge ${status.connected ? "succeeded" : "failed"}`;
  const note = document.getElementById("note");
  note.hidden = !status.note;
  note.textContent = status.note ?? "";
  document.getElementById("states").innerHTML = status.states.map((s) =>
    `<span role="listitem" class="state${s === status.state ? " current" + (BAD.has(s) ? " bad" : "") : ""}"${s === status.state ? ' aria-current="true"' : ""}>${escapeHtml(s)}</span>`).join("");
  const active = new Set(status.interlocks);
  document.querySelector("#interlocks tbody").innerHTML = status.interlockCatalog.map((i) =>
    `<tr class="${active.has(i.name) ? "active" : ""}"><td>${escapeHtml(i.name)}</td><td>${escapeHtml(i.reaction)}</td><td>${active.has(i.name) ? "ACTIVE" : "clear"}</td></tr>`).join("");
  const l = status.loop;
  document.getElementById("loop-stats").innerHTML = l
    ? `<dt>Cycles</dt><dd>${l.cycles}</dd><dt>Overruns</dt><dd>${l.overruns}</dd>
       <dt>Period jitter p99</dt><dd>${fmt(l.jitterP99Us, 0)} µs</dd><dt>Period jitter max</dt><dd>${fmt(l.jitterMaxUs, 0)} µs</dd>
       <dt>Step time p99</dt><dd>${fmt(l.stepP99Us, 0)} µs</dd><dt>GC pause</dt><dd>${fmt(l.gcPauseMs, 1)} ms</dd>`
    : `<dt>Loop</dt><dd class="muted">no telemetry yet</dd>`;
}

function onEvent(name, data) {
  const message = JSON.parse(data);
  if (name === "status") { status = message; render(); return; }
  if (!status) return;
  status.lastMessageUtc = new Date().toISOString();
  status.connected = true;
  if (message.state) status.state = message.state;
  if (message.cycle !== undefined) status.cycle = message.cycle;
  if (name === "interlocks" && message.active !== undefined) status.interlocks = message.active === "None" ? [] : message.active.split(",").map((s) => s.trim());
  else if (message.interlocks !== undefined) status.interlocks = message.interlocks === "None" ? [] : message.interlocks.split(",").map((s) => s.trim());
  if (message.loop) {
    status.loop = message.loop;
    history.push({ t: Date.now(), jitter: message.loop.jitterP99Us, step: message.loop.stepP99Us });
    while (history.length && history[0].t < Date.now() - 30000) history.shift();
    updateChart();
  }
  render();
}

function updateChart() {
  const now = Date.now();
  if (now - lastChartUpdate < 500) return;
  lastChartUpdate = now;
  const points = (key) => history.map((h) => ({ x: (h.t - now) / 1000, y: h[key] }));
  if (!chart) {
    chart = new Chart(document.getElementById("latency"), {
      type: "line",
      data: { datasets: [
        { label: "period jitter p99 (µs)", data: points("jitter"), borderColor: "#0b5cad", pointRadius: 0, borderWidth: 2 },
        { label: "step time p99 (µs)", data: points("step"), borderColor: "#b42318", pointRadius: 0, borderWidth: 2 },
      ] },
      options: {
        animation: false, maintainAspectRatio: false, parsing: false,
        scales: { x: { type: "linear", min: -30, max: 0, title: { display: true, text: "seconds ago" } }, y: { type: "linear", min: 0, title: { display: true, text: "µs" } } },
        plugins: { legend: { position: "bottom" } },
      },
    });
    window.metaiLatencyChart = chart;
  } else {
    chart.data.datasets[0].data = points("jitter");
    chart.data.datasets[1].data = points("step");
    chart.update("none");
  }
}

async function start() {
  stop?.();
  try {
    status = await api("/api/controller/state");
    showError("error", null);
    render();
  } catch (err) { showError("error", err); return; }
  stop = subscribe("/api/controller/events", onEvent, (s) => { if (s.startsWith("HTTP")) showError("error", new Error(`Event stream: ${s}`)); });
}

keyForm(start);
start();
