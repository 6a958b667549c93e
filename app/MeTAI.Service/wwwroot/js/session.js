// A shared session of a rehearsal's scene (docs/service.md, "Shared sessions"): everyone in it sees the same scene,
// the arm moving as the controller measures it, each other's pointers and annotations, and the replay one of them
// drives; control of the arm is taken and handed over here, by the server's rules (the page cannot give itself control:
// the service and the controller's broker enforce it). Double-click the scene to point; Shift+double-click to pin a note.
import { api, me, showError, escapeHtml } from "./api.js";
import { subscribe } from "./sse.js";

const COLOURS = ["#ff7b72", "#79c0ff", "#d2a8ff", "#ffa657", "#56d364", "#f778ba", "#e3b341", "#a5d6ff"];

/**
 * Joins session sessionId (or offers to) and wires it to the scene. scene = { THREE, world, camera, renderer,
 * setArm(baseLps, jointsLps, toolLps), showReplay(frame, playing), onLocalReplay(callback) }.
 */
export async function startSession(sessionId, scene) {
  const { THREE } = scene;
  const panel = document.getElementById("session-panel");
  panel.hidden = false;
  const state = { view: null, pointers: new Map(), notes: new Map(), colour: new Map(), armEvents: 0, lastArmLagMs: null, lastToolLps: null, stop: null };
  window.metaiSession = {
    /** The session as this page last saw it, and what it drew. */
    view: () => state.view,
    pointers: () => [...state.pointers.keys()],
    annotations: () => [...state.notes.keys()],
    armEvents: () => state.armEvents,
    /** The arm's tool tip as last drawn (patient LPS mm), and the lag of that arm event: its controller stamp to now. */
    lastToolLps: () => state.lastToolLps,
    lastArmLagMs: () => state.lastArmLagMs,
  };

  const colourOf = (user) => {
    if (!state.colour.has(user)) state.colour.set(user, COLOURS[state.colour.size % COLOURS.length]);
    return state.colour.get(user);
  };

  function marker(user, radius) {
    const m = new THREE.Mesh(new THREE.SphereGeometry(radius, 16, 12), new THREE.MeshLambertMaterial({ color: colourOf(user) }));
    m.renderOrder = 5;
    scene.world.add(m);
    return m;
  }

  function setPointer(user, position) {
    let m = state.pointers.get(user);
    if (!position) { if (m) { scene.world.remove(m); state.pointers.delete(user); } return; }
    if (!m) { m = marker(user, 3); m.name = `pointer:${user}`; state.pointers.set(user, m); }
    m.position.set(position[0], position[1], position[2]);
  }

  function addNote(a) {
    if (state.notes.has(a.id)) return;
    const m = marker(a.user, 2);
    m.name = `annotation:${a.id}`;
    m.position.set(a.position[0], a.position[1], a.position[2]);
    state.notes.set(a.id, { mesh: m, note: a });
    renderNotes();
  }

  function removeNote(id) {
    const n = state.notes.get(id);
    if (n) { scene.world.remove(n.mesh); state.notes.delete(id); renderNotes(); }
  }

  // A list item led by the user's colour (set through the CSSOM: the page's CSP allows no inline style attributes).
  function item(user, html) {
    const li = document.createElement("li");
    li.innerHTML = `<span class="dot"></span> ${html}`;
    li.querySelector(".dot").style.setProperty("--c", colourOf(user));
    return li;
  }

  function renderNotes() {
    document.getElementById("session-notes").replaceChildren(...[...state.notes.values()].map(({ note }) =>
      item(note.user, `<strong>${escapeHtml(note.user)}</strong>: ${escapeHtml(note.text)}`)));
  }

  function render() {
    const v = state.view;
    if (!v) return;
    const mine = v.participants.find((p) => p.user === me?.name);
    document.getElementById("session-title").textContent = `${v.title} (${v.id})`;
    document.getElementById("session-people").replaceChildren(...v.participants.map((p) =>
      item(p.user, `${escapeHtml(p.user)} <span class="muted">${escapeHtml(p.role)}${p.user === v.control.holder ? " · holds control" : ""}</span>`)));
    document.getElementById("session-holder").textContent = v.control.holder ? `${v.control.holder} holds control of the arm.` : "Nobody holds control of the arm.";
    const join = document.getElementById("session-join");
    join.hidden = !!mine;
    const controls = document.getElementById("session-controls");
    controls.hidden = !mine || !mine.mayOperate;
    if (mine) {
      const holding = v.control.holder === mine.user;
      document.getElementById("control-take").hidden = !!v.control.holder;
      document.getElementById("control-takeover").hidden = !(mine.role === "instructor" && v.control.holder && !holding);
      document.getElementById("control-release").hidden = !holding;
      document.getElementById("control-handover").hidden = !holding;
      const to = document.getElementById("control-to");
      to.hidden = !holding;
      to.innerHTML = v.participants.filter((p) => p.mayOperate && p.user !== mine.user)
        .map((p) => `<option value="${escapeHtml(p.user)}">${escapeHtml(p.user)}</option>`).join("");
      document.getElementById("session-console").hidden = !holding;
    }
  }

  async function refresh() {
    state.view = await api(`/api/shared-sessions/${encodeURIComponent(sessionId)}`);
    render();
  }

  async function control(action, to) {
    try {
      showError("error", null);
      state.view = await api(`/api/shared-sessions/${encodeURIComponent(sessionId)}/control`, { method: "POST", body: { action, to } });
      render();
    } catch (err) { showError("error", err); }
  }

  function onEvent(name, text) {
    const data = JSON.parse(text);
    switch (name) {
      case "snapshot":
        state.view = data;
        for (const p of data.pointers) setPointer(p.user, p.position);
        for (const a of data.annotations) addNote(a);
        if (data.replay) scene.showReplay(data.replay.frame, data.replay.playing);
        render();
        break;
      case "participants":
        if (state.view) { state.view.participants = data; render(); }
        break;
      case "pointer": setPointer(data.user, data.position); break;
      case "annotation": if (data.added) addNote(data.added); else if (data.removed) removeNote(data.removed); break;
      case "replay": if (data.by !== me?.name) scene.showReplay(data.frame, data.playing); break;
      case "control":
        if (state.view) { state.view.control = { holder: data.holder, sessionId: data.sessionId }; render(); }
        break;
      case "arm":
        scene.setArm(data.baseLps, data.jointsLps, data.toolLps);
        state.armEvents++;
        state.lastToolLps = data.toolLps;
        if (data.utc) state.lastArmLagMs = Date.now() - Date.parse(data.utc);
        break;
      case "ended":
        document.getElementById("session-holder").textContent = `The session was ended by ${data.by}.`;
        state.stop?.();
        break;
      default: break;
    }
  }

  // Double-click: point there for everyone; Shift+double-click: pin a note there.
  const raycaster = new THREE.Raycaster();
  scene.renderer.domElement.addEventListener("dblclick", async (e) => {
    if (!state.view?.participants.some((p) => p.user === me?.name)) return;
    const r = scene.renderer.domElement.getBoundingClientRect();
    raycaster.setFromCamera(new THREE.Vector2(((e.clientX - r.left) / r.width) * 2 - 1, -((e.clientY - r.top) / r.height) * 2 + 1), scene.camera);
    const hit = raycaster.intersectObjects(scene.world.children, true).find((h) => h.object.isMesh && !h.object.name.startsWith("pointer:"));
    if (!hit) return;
    const p = scene.world.worldToLocal(hit.point.clone());
    const position = [p.x, p.y, p.z].map((x) => Math.round(x * 100) / 100);
    try {
      if (e.shiftKey) {
        const text = window.prompt("Note for everyone in the session:");
        if (text) await api(`/api/shared-sessions/${encodeURIComponent(sessionId)}/annotations`, { method: "POST", body: { position, text } });
      } else {
        await api(`/api/shared-sessions/${encodeURIComponent(sessionId)}/pointer`, { method: "POST", body: { position } });
      }
    } catch (err) { showError("error", err); }
  });

  document.getElementById("session-join-button").addEventListener("click", async () => {
    try {
      showError("error", null);
      state.view = await api(`/api/shared-sessions/${encodeURIComponent(sessionId)}/join`, { method: "POST", body: { as: document.getElementById("session-role").value } });
      render();
      stream();
    } catch (err) { showError("error", err); }
  });
  document.getElementById("control-take").addEventListener("click", () => control("take"));
  document.getElementById("control-takeover").addEventListener("click", () => control("takeover"));
  document.getElementById("control-release").addEventListener("click", () => control("release"));
  document.getElementById("control-handover").addEventListener("click", () => control("handover", document.getElementById("control-to").value));
  scene.onLocalReplay(async (frame, playing) => {
    const mine = state.view?.participants.find((p) => p.user === me?.name);
    if (!mine || mine.role === "observer") return;
    try { await api(`/api/shared-sessions/${encodeURIComponent(sessionId)}/replay`, { method: "POST", body: { frame, playing } }); } catch (err) { showError("error", err); }
  });

  // The stream is a participant's: it starts once this user has joined (the opener has).
  function stream() {
    if (state.stop) return;
    state.stop = subscribe(`/api/shared-sessions/${encodeURIComponent(sessionId)}/events`, onEvent,
      (status) => { document.getElementById("session-status").textContent = status; });
  }

  try { await refresh(); } catch (err) { showError("error", err); return; }
  if (state.view.participants.some((p) => p.user === me?.name)) stream();
}

/** Opens a new session of rehearsal rehearsalId and goes to it. */
export async function openSession(rehearsalId) {
  const v = await api("/api/shared-sessions", { method: "POST", body: { rehearsalId, title: `Rehearsal ${rehearsalId.slice(0, 8)}`, as: "instructor" } });
  location.search = `?id=${encodeURIComponent(rehearsalId)}&session=${encodeURIComponent(v.id)}`;
}
