// Teleoperation console: the browser as a haptic master (docs/service.md, docs/mqtt-topics.md). Pointer, pen, touch or
// a gamepad move the master; 76-byte poses go out at 200 Hz and 20-byte heartbeats at 100 Hz over MQTT over WebSocket
// (the service's same-origin relay) to the controller's broker with a short-lived credential; the corridor's restoring
// force comes back and is drawn as a vector (colour by magnitude) and played as gamepad rumble.
import { api, keyForm, showError, me } from "./api.js";
import { MqttClient } from "./mqtt-ws.js";

const POSE_PERIOD_MS = 5;        // 200 Hz (the issue asks ≥ 100 Hz; the controller's pose watchdog is 30 ms)
const HEARTBEAT_PERIOD_MS = 10;  // 100 Hz (watchdog 30 ms)
const FORCE_STALE_MS = 250;      // the controller sends force at ≥ 20 Hz: older means none
const GAMEPAD_SPEED_MPS = 0.1;   // full stick deflection, master metres per second
const DEADZONE = 0.12;

const s = {
  cred: null, client: null, timer: null,
  pos: [0, 0, 0], seq: 0, hbSeq: 0, estopSeq: 0,
  posesSent: 0, heartbeatsSent: 0, rateHz: 0, rateWindow: [],
  // The page's own timing: gaps between heartbeats it sent (the controller's watchdog is 30 ms), the longest, and the
  // last 100 gaps over 20 ms as [epoch ms at the late beat, gap ms], so a lapse the controller audits can be placed on
  // the page's side or downstream of it (relay, broker).
  hbGapMaxMs: 0, hbLate: [],
  lastPoseAt: 0, lastHeartbeatAt: 0, lastTickAt: 0, lastFrameAt: -1e9,
  pointer: null, // { id, x, y, start: [x, y, z], shift }
  keyDeadman: false, buttonDeadman: false, padDeadman: false, padClutch: false, gamepadId: null,
  force: { v: [0, 0, 0], active: false, at: 0, count: 0 }, maxForceN: 5,
  state: null, lastRumbleAt: 0,
};
const poseBuf = new ArrayBuffer(76), poseView = new DataView(poseBuf), poseBytes = new Uint8Array(poseBuf);
const hbBuf = new ArrayBuffer(20), hbView = new DataView(hbBuf), hbBytes = new Uint8Array(hbBuf);

const $ = (id) => document.getElementById(id);
const mPerPx = () => Number($("scale").value);
// WebXR: a tracked controller as the master (see xrFrame).
const xr = { session: null, refSpace: null, gl: null, source: null, present: false, engaged: false, anchor: null, start: null };
const present = () => s.keyDeadman || s.buttonDeadman || s.padDeadman || xr.present;
// The arm follows only while the pointer is down on the pad, a WebXR controller's trigger is held, or a gamepad is in
// use and its clutch (B) is not held.
const clutch = () => !(s.pointer || xr.engaged || (s.gamepadId !== null && !s.padClutch));

function writePose() {
  const q = s.cred.masterOrientation;
  s.seq += 1;
  poseView.setUint8(0, 0x01);
  poseView.setUint8(1, (clutch() ? 1 : 0) | (present() ? 2 : 0));
  poseView.setUint16(2, 0, true);
  poseView.setBigInt64(4, BigInt(s.seq), true);
  poseView.setBigInt64(12, 0n, true); // no clock shared with the controller's machine: 0 (docs/mqtt-topics.md)
  for (let i = 0; i < 3; i++) poseView.setFloat64(20 + 8 * i, s.pos[i], true);
  for (let i = 0; i < 4; i++) poseView.setFloat64(44 + 8 * i, q[i], true);
  return poseBytes;
}

function writeHeartbeat() {
  s.hbSeq += 1;
  hbView.setUint32(0, 0, true);
  hbView.setUint8(0, 0x02);
  hbView.setBigInt64(4, BigInt(s.hbSeq), true);
  hbView.setBigInt64(12, 0n, true);
  return hbBytes;
}

function estopPayload(pressed) {
  const b = new DataView(new ArrayBuffer(12));
  s.estopSeq += 1;
  b.setUint8(0, 0x04);
  b.setUint8(1, pressed ? 1 : 0);
  b.setBigInt64(4, BigInt(s.estopSeq), true);
  return new Uint8Array(b.buffer);
}

function pollGamepad(dtS) {
  let pads = [];
  try { pads = navigator.getGamepads ? Array.from(navigator.getGamepads()).filter(Boolean) : []; } catch { /* no Gamepad API here (not a secure context) */ }
  const g = pads[0];
  if (!g) { s.gamepadId = null; s.padDeadman = false; s.padClutch = false; return null; }
  s.gamepadId = g.id;
  const pressed = (i) => !!g.buttons[i]?.pressed;
  s.padDeadman = pressed(4) || pressed(5);
  s.padClutch = pressed(1);
  const axis = (i) => { const v = g.axes[i] ?? 0; return Math.abs(v) < DEADZONE ? 0 : v; };
  if (!s.padClutch && !s.pointer) {
    const step = GAMEPAD_SPEED_MPS * Math.min(dtS, 0.05);
    s.pos[0] += axis(0) * step;
    s.pos[2] -= axis(1) * step;
    s.pos[1] -= axis(3) * step;
  }
  return g;
}

function rumble(g, now) {
  if (!g?.vibrationActuator || now - s.lastRumbleAt < 50) return;
  const f = forceNow(now);
  const m = Math.hypot(...f.v);
  if (m < 0.05) return;
  s.lastRumbleAt = now;
  const k = Math.min(1, m / s.maxForceN);
  g.vibrationActuator.playEffect("dual-rumble", { duration: 60, strongMagnitude: k, weakMagnitude: k * 0.5 }).catch(() => {});
}

function forceNow(now) {
  return now - s.force.at > FORCE_STALE_MS ? { v: [0, 0, 0], active: false } : s.force;
}

function tick() {
  const now = performance.now();
  const dtS = s.lastTickAt ? (now - s.lastTickAt) / 1000 : 0;
  s.lastTickAt = now;
  const g = pollGamepad(dtS);
  if (!s.client?.connected) return;
  if (s.client.publish(s.cred.topics.pose, writePose())) {
    s.posesSent += 1;
    s.rateWindow.push(now);
  }
  if (now - s.lastHeartbeatAt >= HEARTBEAT_PERIOD_MS - 1) {
    if (s.lastHeartbeatAt) {
      const gap = now - s.lastHeartbeatAt;
      if (gap > s.hbGapMaxMs) s.hbGapMaxMs = gap;
      if (gap > 20) {
        if (s.hbLate.length >= 100) s.hbLate.shift();
        s.hbLate.push([Math.round(performance.timeOrigin + now), Math.round(gap * 10) / 10]);
      }
    }
    s.lastHeartbeatAt = now;
    if (s.client.publish(s.cred.topics.heartbeat, writeHeartbeat())) s.heartbeatsSent += 1;
  }
  while (s.rateWindow.length && s.rateWindow[0] < now - 1000) s.rateWindow.shift();
  s.rateHz = s.rateWindow.length;
  rumble(g, now);
  xrPulse(now);
}

// WebXR (immersive-vr, where the browser offers it): the controller's grip position in a 'local' reference space moves
// the master 1:1 while its trigger (button 0) is held — relative to where the trigger was pressed, so releasing it is
// the clutch — and its squeeze (button 1) is the deadman. The orientation stays the credential's, as for the other
// inputs. The session needs a WebGL layer to deliver frames; it draws only a dark background.
async function offerXr() {
  const b = $("xr");
  try { b.hidden = !(navigator.xr && await navigator.xr.isSessionSupported("immersive-vr")); } catch { b.hidden = true; }
  b.addEventListener("click", () => (xr.session ? xr.session.end() : startXr().catch((e) => showError("error", e))));
}

async function startXr() {
  const gl = document.createElement("canvas").getContext("webgl", { xrCompatible: true });
  const session = await navigator.xr.requestSession("immersive-vr");
  await session.updateRenderState({ baseLayer: new XRWebGLLayer(session, gl) });
  xr.refSpace = await session.requestReferenceSpace("local");
  xr.session = session;
  xr.gl = gl;
  session.addEventListener("end", () => Object.assign(xr, { session: null, source: null, present: false, engaged: false, anchor: null }));
  session.requestAnimationFrame(xrFrame);
}

function xrFrame(time, frame) {
  const session = frame.session;
  session.requestAnimationFrame(xrFrame);
  const gl = xr.gl;
  gl.bindFramebuffer(gl.FRAMEBUFFER, session.renderState.baseLayer.framebuffer);
  gl.clearColor(0.06, 0.09, 0.12, 1);
  gl.clear(gl.COLOR_BUFFER_BIT);
  let src = null;
  for (const i of session.inputSources) if (i.gripSpace && i.gamepad && (!src || i.handedness === "right")) src = i;
  const pose = src ? frame.getPose(src.gripSpace, xr.refSpace) : null;
  xr.source = src;
  xr.present = !!src?.gamepad.buttons[1]?.pressed;
  const engaged = !!(pose && src.gamepad.buttons[0]?.pressed);
  if (engaged) {
    const p = pose.transform.position;
    if (!xr.engaged) { xr.anchor = [p.x, p.y, p.z]; xr.start = [...s.pos]; }
    // 'local' space: x right, y up, z towards the user; the master (side view): x right, z up, y away from the user.
    s.pos[0] = xr.start[0] + (p.x - xr.anchor[0]);
    s.pos[2] = xr.start[2] + (p.y - xr.anchor[1]);
    s.pos[1] = xr.start[1] - (p.z - xr.anchor[2]);
  }
  xr.engaged = engaged;
}

function xrPulse(now) {
  const actuator = xr.source?.gamepad?.hapticActuators?.[0];
  if (!actuator || now - s.lastRumbleAt < 50) return;
  const m = Math.hypot(...forceNow(now).v);
  if (m < 0.05) return;
  s.lastRumbleAt = now;
  Promise.resolve(actuator.pulse?.(Math.min(1, m / s.maxForceN), 60)).catch(() => {});
}

function onMessage(topic, payload) {
  if (topic === s.cred.topics.force && payload.length === 44 && payload[0] === 0x03) {
    const v = new DataView(payload.buffer, payload.byteOffset, 44);
    s.force = { v: [v.getFloat64(20, true), v.getFloat64(28, true), v.getFloat64(36, true)], active: (payload[1] & 1) !== 0, at: performance.now(), count: s.force.count + 1 };
  } else if (topic === s.cred.topics.state) {
    try { s.state = JSON.parse(new TextDecoder().decode(payload)).state ?? s.state; } catch { /* not ours to repair */ }
  }
}

async function connect() {
  showError("error", null);
  $("connect").disabled = true;
  try {
    s.cred = await api("/api/teleop/credential", { method: "POST" });
    const wanted = new URLSearchParams(location.search).get("controller");
    if (wanted && wanted !== s.cred.robot) throw new Error(`This service drives ${s.cred.robot}, not ${wanted} (?controller=): start it with --controller for that one.`);
    s.maxForceN = s.cred.maxForceN || 5;
    const url = new URL(s.cred.webSocketUrl, location.href);
    url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    const client = new MqttClient(url.href, {
      clientId: s.cred.masterId, username: s.cred.masterId, password: s.cred.password,
      onMessage, onClose: (why) => disconnected(`connection lost: ${why}`),
    });
    await client.connect();
    s.client = client;
    const granted = await client.subscribe([{ topic: s.cred.topics.force }, { topic: s.cred.topics.state, qos: 1 }]);
    if (granted.some((g) => g === 0x80)) throw new Error("the broker refused a subscription (ACL)");
    s.seq = 0; s.hbSeq = 0; s.lastHeartbeatAt = 0;
    s.timer = setInterval(tick, POSE_PERIOD_MS);
    $("disconnect").disabled = false;
  } catch (error) {
    s.client?.close();
    s.client = null;
    $("connect").disabled = false;
    showError("error", error);
  }
  render();
}

function disconnected(why) {
  clearInterval(s.timer);
  s.timer = null;
  s.client = null;
  $("connect").disabled = false;
  $("disconnect").disabled = true;
  if (why) showError("error", new Error(why));
  render();
}

function publishEStop(pressed) {
  if (!s.client?.connected) { showError("error", new Error("Not connected: use the e-stop button at the arm.")); return; }
  s.client.publish(s.cred.topics.estop, estopPayload(pressed), 1);
}

// Pointer, pen and touch: relative drags in the side view (x right, z up; with shift, y up).
function pointerInput() {
  const pad = $("pad");
  pad.addEventListener("pointerdown", (e) => {
    if (s.pointer || e.button !== 0) return;
    pad.setPointerCapture(e.pointerId);
    s.pointer = { id: e.pointerId, x: e.clientX, y: e.clientY, start: [...s.pos], shift: e.shiftKey };
  });
  pad.addEventListener("pointermove", (e) => {
    const p = s.pointer;
    if (!p || p.id !== e.pointerId) return;
    // Canvas pixels may be scaled by CSS: motion is in screen pixels.
    const k = mPerPx();
    s.pos[0] = p.start[0] + (e.clientX - p.x) * k;
    if (p.shift) s.pos[1] = p.start[1] - (e.clientY - p.y) * k;
    else s.pos[2] = p.start[2] - (e.clientY - p.y) * k;
  });
  const end = (e) => { if (s.pointer?.id === e.pointerId) s.pointer = null; };
  pad.addEventListener("pointerup", end);
  pad.addEventListener("pointercancel", end);
  pad.addEventListener("lostpointercapture", end);
}

// The deadman: held, never latched. Losing focus or hiding the page lets go of it.
function deadmanInput() {
  const isTyping = (e) => e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
  window.addEventListener("keydown", (e) => {
    if (e.code === "Space" && !isTyping(e)) { s.keyDeadman = true; e.preventDefault(); }
    if (e.code === "Escape") publishEStop(true);
  });
  window.addEventListener("keyup", (e) => {
    if (e.code !== "Space") return;
    s.keyDeadman = false;
    if (!isTyping(e)) e.preventDefault(); // no click on a focused button
  });
  const b = $("deadman");
  b.addEventListener("pointerdown", (e) => { b.setPointerCapture(e.pointerId); s.buttonDeadman = true; });
  for (const ev of ["pointerup", "pointercancel", "lostpointercapture"]) b.addEventListener(ev, () => { s.buttonDeadman = false; });
  const release = () => { s.keyDeadman = false; s.buttonDeadman = false; s.pointer = null; };
  window.addEventListener("blur", release);
  document.addEventListener("visibilitychange", () => { if (document.hidden) release(); });
}

function fmt3(v, k = 1000, d = 1) { return v.map((x) => (x * k).toFixed(d)).join(", "); }

function render() {
  const c = s.cred;
  $("robot").textContent = c?.robot ?? "–";
  $("master").textContent = c?.masterId ?? "–";
  const link = $("link");
  const on = !!s.client?.connected;
  link.textContent = on ? "connected" : "not connected";
  link.className = `badge ${on ? "succeeded" : "failed"}`;
  $("state").textContent = s.state ?? "–";
  $("present").textContent = present() ? "yes" : "no";
  $("deadman").setAttribute("aria-pressed", String(present()));
  $("clutch").textContent = clutch() ? "pressed (arm holds)" : "released (arm follows)";
  $("poses").textContent = String(s.posesSent);
  $("rate").textContent = String(s.rateHz);
  $("position").textContent = `${fmt3(s.pos)} mm`;
  const f = forceNow(performance.now());
  $("force").textContent = `${Math.hypot(...f.v).toFixed(2)} N (${fmt3(f.v, 1, 2)})${f.active ? " · fixture active" : ""}`;
  $("gamepad").textContent = s.gamepadId ?? "none";
  draw(f);
}

// The pad: grid, master position (side view x/z) and the restoring-force arrow, green (none) → red (the maximum).
function draw(f) {
  const cv = $("pad"), g = cv.getContext("2d");
  const w = cv.width, h = cv.height, cx = w / 2, cy = h / 2;
  g.clearRect(0, 0, w, h);
  g.strokeStyle = "#22303f";
  g.lineWidth = 1;
  g.beginPath(); // the grid as one path, one stroke
  for (let x = 0; x <= w; x += 40) { g.moveTo(x, 0); g.lineTo(x, h); }
  for (let y = 0; y <= h; y += 40) { g.moveTo(0, y); g.lineTo(w, y); }
  g.stroke();
  const k = mPerPx();
  const px = cx + s.pos[0] / k, py = cy - s.pos[2] / k;
  const wrap = (v, n) => ((v % n) + n) % n; // the pad is a window on an endless plane
  const dx = wrap(px, w), dy = wrap(py, h);
  g.fillStyle = present() ? (clutch() ? "#d4a72c" : "#3fb950") : "#8b949e";
  g.beginPath(); g.arc(dx, dy, 9, 0, 2 * Math.PI); g.fill();
  const m = Math.hypot(...f.v);
  if (m > 0.01) {
    const ratio = Math.min(1, m / s.maxForceN);
    const colour = `hsl(${Math.round(120 * (1 - ratio))}, 85%, 55%)`;
    const len = 30 + 150 * ratio, ux = f.v[0] / m, uy = -f.v[2] / m;
    g.strokeStyle = colour; g.fillStyle = colour; g.lineWidth = 4;
    g.beginPath(); g.moveTo(dx, dy); g.lineTo(dx + ux * len, dy + uy * len); g.stroke();
    const ax = dx + ux * len, ay = dy + uy * len, a = Math.atan2(uy, ux);
    g.beginPath(); g.moveTo(ax, ay);
    g.lineTo(ax - 14 * Math.cos(a - 0.4), ay - 14 * Math.sin(a - 0.4));
    g.lineTo(ax - 14 * Math.cos(a + 0.4), ay - 14 * Math.sin(a + 0.4));
    g.closePath(); g.fill();
  }
  g.fillStyle = "#8b949e";
  g.font = "13px system-ui, sans-serif";
  g.fillText(`x ${(s.pos[0] * 1000).toFixed(1)}  y ${(s.pos[1] * 1000).toFixed(1)}  z ${(s.pos[2] * 1000).toFixed(1)} mm`, 10, h - 12);
}

/** Test and diagnostics hook: counters and the latest force. */
window.metaiConsole = {
  stats: () => ({
    connected: !!s.client?.connected, posesSent: s.posesSent, heartbeatsSent: s.heartbeatsSent, rateHz: s.rateHz,
    heartbeatGapMaxMs: s.hbGapMaxMs, heartbeatsLate: s.hbLate.map((x) => [...x]),
    present: present(), clutch: clutch(), position: [...s.pos], state: s.state,
    lastForce: { newtons: [...s.force.v], active: s.force.active, ageMs: s.force.at ? performance.now() - s.force.at : null, messages: s.force.count },
  }),
};

// The page redraws at most 30 times a second while the pad is dragged and 10 times a second otherwise: the poses and
// heartbeats (tick, 200 Hz) share the page's main thread with the drawing, and on a machine without a GPU every frame
// is laid out, painted and rasterised on the CPU — drawing at the display's 60 Hz for counters took time the 30 ms
// watchdogs need.
const DRAG_FRAME_MS = 33, IDLE_FRAME_MS = 100;
function frame(t) {
  if (t - s.lastFrameAt >= (s.pointer ? DRAG_FRAME_MS : IDLE_FRAME_MS) - 1) {
    s.lastFrameAt = t;
    render();
  }
  requestAnimationFrame(frame);
}

pointerInput();
deadmanInput();
offerXr();
$("connect").addEventListener("click", connect);
$("disconnect").addEventListener("click", () => { s.client?.close(); disconnected(null); });
$("estop").addEventListener("click", () => publishEStop(true));
$("estop-release").addEventListener("click", () => publishEStop(false));
// Give control up (disconnecting keeps it, so the holder can reconnect): the service and the broker then refuse this
// user's console until control is taken again, and another surgeon may take it.
$("release-control").addEventListener("click", async () => {
  try {
    s.client?.close();
    disconnected(null);
    await api("/api/teleop/release", { method: "POST" });
    showError("error", null);
  } catch (error) { showError("error", error); }
});
function onAccount() {
  const allowed = (me?.permissions ?? []).includes("teleop.operate");
  const note = $("note");
  note.hidden = allowed;
  note.textContent = allowed ? "" : "The console is for surgeons: sign in with an account that holds teleop.operate.";
  $("connect").disabled = !allowed || !!s.client;
}
keyForm(onAccount).then(onAccount);
requestAnimationFrame(frame);
