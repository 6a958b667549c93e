// The 3D scene of a rehearsal (GET /api/rehearsals/{id}/scene, format in docs/scene.md), drawn with three.js: the
// avatar's tissue surfaces, the target's and avoided ROIs' surfaces, the candidate paths, the chosen path and its
// corridor, the robot arm at home, the plan's isodose surfaces (when the rehearsal names a plan) and three CT planes
// (axial, coronal, sagittal) the sliders move, each cut by the service (GET /api/rehearsals/{id}/ct). Everything stays
// in patient LPS millimetres (+Z superior). With ?session=S the page is a participant of shared session S (session.js):
// the arm follows the controller, and pointers, notes, the replay and control are shared.
// window.metaiScene lets tests (and the curious) list the objects and check that the canvas shows them.
import * as THREE from "../lib/three.module.js";
import { OrbitControls } from "../lib/OrbitControls.js";
import { api, apiKey, keyForm, showError, fmt, escapeHtml } from "./api.js";
import { startSession, openSession } from "./session.js";

const id = new URLSearchParams(location.search).get("id");
const sessionId = new URLSearchParams(location.search).get("session");
let onReplayChange = null; // a shared session's hook: the local user moved the replay
const viewport = document.getElementById("viewport");
const objects = new Map(); // name → { object, color }
const BACKGROUND = 0x10161f;
let renderer = null, camera = null, controls = null, scene = null, world = null, frames = 0, sliceOpacity = 0.85;
const sliceMaterials = [];
let centre = new THREE.Vector3();

const v = (p) => new THREE.Vector3(p[0], p[1], p[2]);

function add(object, name, color) {
  object.name = name;
  world.add(object);
  objects.set(name, { object, color });
  return object;
}

function surfaceMaterial(color, opacity) {
  // Translucent surfaces draw after the opaque ones and do not hide what lies behind them.
  return new THREE.MeshLambertMaterial({ color, transparent: opacity < 1, opacity, side: THREE.DoubleSide, depthWrite: opacity >= 0.5 });
}

// The replay (docs/scene.md, "replay"): int16 displacements per frame and mesh node, applied to the tissue surfaces.
const replay = { info: null, view: null, frame: 0, playing: false, startedMs: 0, startFrame: 0, deformable: [], needle: null, maxShownMm: 0 };

function addSurface(s) {
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute("position", new THREE.Float32BufferAttribute(s.positions, 3));
  geometry.setIndex(s.indices);
  geometry.computeVertexNormals();
  const mesh = new THREE.Mesh(geometry, surfaceMaterial(s.color, s.opacity));
  mesh.renderOrder = s.opacity < 0.5 ? 2 : 1;
  add(mesh, s.name, s.color);
  if (s.nodes) replay.deformable.push({ mesh, nodes: s.nodes, rest: Float32Array.from(s.positions) });
}

async function loadReplay() {
  if (replay.view) return;
  const headers = new Headers({ "X-MeTAI-Request": "1" });
  if (apiKey()) headers.set("X-Api-Key", apiKey());
  const response = await fetch(`/api/rehearsals/${encodeURIComponent(id)}/files/replay`, { headers });
  if (!response.ok) throw new Error(`The replay could not be loaded (HTTP ${response.status}).`);
  const bytes = await response.arrayBuffer();
  const expected = replay.info.frames * replay.info.nodes * 6;
  if (bytes.byteLength !== expected) throw new Error(`The replay has ${bytes.byteLength} bytes, not the ${expected} the scene announces.`);
  replay.view = new DataView(bytes);
}

function showFrame(f) {
  const { nodes: perFrame, quantumMm } = replay.info;
  replay.frame = f;
  let max = 0;
  for (const { mesh, nodes, rest } of replay.deformable) {
    const position = mesh.geometry.attributes.position;
    for (let i = 0; i < nodes.length; i++) {
      const at = 6 * (f * perFrame + nodes[i]);
      for (let a = 0; a < 3; a++) {
        const d = replay.view.getInt16(at + 2 * a, true) * quantumMm;
        position.array[3 * i + a] = rest[3 * i + a] + d;
        max = Math.max(max, Math.abs(d));
      }
    }
    position.needsUpdate = true;
    mesh.geometry.computeVertexNormals();
  }
  replay.maxShownMm = max;
  const tip = v(replay.info.tipsLps[f]);
  const start = v(replay.info.tipsLps[0]);
  replay.needle.geometry.setFromPoints([start, tip]);
  replay.needle.visible = true;
  document.getElementById("replay-frame").value = String(f);
}

function replayControls(data) {
  replay.info = data.replay;
  if (!replay.info || replay.info.frames < 1) return;
  replay.needle = add(new THREE.Line(new THREE.BufferGeometry(), new THREE.LineBasicMaterial({ color: "#ffffff" })), "needle", "#ffffff");
  replay.needle.visible = false;
  const seconds = (replay.info.frames - 1) / replay.info.framesPerSecond;
  document.getElementById("replay-info").textContent = `${replay.info.frames} frames (${fmt(seconds, 1)} s at ${replay.info.framesPerSecond} frames/s), ${replay.info.nodes} nodes: the chosen insertion with the tissue deforming.`;
  const play = document.getElementById("replay-play");
  const slider = document.getElementById("replay-frame");
  slider.max = String(replay.info.frames - 1);
  play.disabled = false;
  slider.disabled = false;
  play.addEventListener("click", async () => {
    try {
      await loadReplay();
      if (replay.playing) { replay.playing = false; play.textContent = "Play the insertion"; onReplayChange?.(replay.frame, false); return; }
      replay.startFrame = replay.frame >= replay.info.frames - 1 ? 0 : replay.frame;
      replay.startedMs = performance.now();
      replay.playing = true;
      play.textContent = "Pause";
      onReplayChange?.(replay.startFrame, true);
    } catch (err) { showError("error", err); }
  });
  slider.addEventListener("input", async () => {
    try {
      await loadReplay();
      replay.playing = false;
      play.textContent = "Play the insertion";
      showFrame(Number(slider.value));
      onReplayChange?.(replay.frame, false);
    } catch (err) { showError("error", err); }
  });
}

// Plays in real time: the frame for the wall-clock time since play, whatever the display's rate.
function advanceReplay(now) {
  if (!replay.playing) return;
  const f = Math.min(replay.info.frames - 1, replay.startFrame + Math.floor((now - replay.startedMs) / 1000 * replay.info.framesPerSecond));
  if (f !== replay.frame || f === replay.startFrame) showFrame(f);
  if (f >= replay.info.frames - 1) {
    replay.playing = false;
    document.getElementById("replay-play").textContent = "Play the insertion";
  }
}

function addPaths(data) {
  for (const t of data.trajectories) {
    const color = t.chosen ? "#39d353" : t.feasible ? "#9fb8d0" : "#e07070";
    const geometry = new THREE.BufferGeometry().setFromPoints([v(t.entryLps), v(t.targetLps)]);
    add(new THREE.Line(geometry, new THREE.LineBasicMaterial({ color })), t.name, color);
  }
  const path = data.chosenPath.pointsLps.map(v);
  if (path.length >= 2) {
    const curve = new THREE.CatmullRomCurve3(path);
    add(new THREE.Mesh(new THREE.TubeGeometry(curve, Math.max(8, path.length), 0.8, 8), new THREE.MeshLambertMaterial({ color: "#39d353" })), data.chosenPath.name, "#39d353");
  }
  const axis = data.corridor.pointsLps.map(v);
  if (axis.length >= 2) {
    const curve = new THREE.CatmullRomCurve3(axis);
    const tube = new THREE.Mesh(new THREE.TubeGeometry(curve, Math.max(8, axis.length * 2), data.corridor.radiusMm, 24),
      surfaceMaterial("#7ee787", 0.35));
    tube.renderOrder = 3;
    add(tube, data.corridor.name, "#7ee787");
  }
  const target = new THREE.Mesh(new THREE.SphereGeometry(2.5, 16, 12), new THREE.MeshLambertMaterial({ color: "#ffd33d" }));
  target.position.copy(v(data.targetLps));
  add(target, "target", "#ffd33d");
}

function link(a, b, radius, material) {
  const direction = new THREE.Vector3().subVectors(b, a);
  const mesh = new THREE.Mesh(new THREE.CylinderGeometry(radius, radius, Math.max(direction.length(), 1e-3), 20), material);
  mesh.position.copy(a).addScaledVector(direction, 0.5);
  if (direction.lengthSq() > 0) mesh.quaternion.setFromUnitVectors(new THREE.Vector3(0, 1, 0), direction.normalize());
  return mesh;
}

function addRobot(robot) {
  const group = new THREE.Group();
  const metal = new THREE.MeshLambertMaterial({ color: "#c9d1d9" });
  const joint = new THREE.MeshLambertMaterial({ color: "#f0883e" });
  const points = [v(robot.baseLps), ...robot.jointsLps.map(v), v(robot.toolLps)];
  const base = new THREE.Mesh(new THREE.CylinderGeometry(40, 50, 20, 32), metal);
  base.position.copy(points[0]);
  base.rotation.x = Math.PI / 2; // the cylinder's axis along +Z, the robot base's up in the default registration
  base.name = "robot:base";
  group.add(base);
  for (let i = 1; i < points.length; i++) {
    const l = link(points[i - 1], points[i], i === points.length - 1 ? 4 : 14, metal);
    l.name = i === points.length - 1 ? "robot:tool" : `robot:link:${i}`;
    group.add(l);
    if (i < points.length - 1) {
      const s = new THREE.Mesh(new THREE.SphereGeometry(18, 20, 14), joint);
      s.position.copy(points[i]);
      s.name = `robot:joint:${robot.joints[i - 1]}`;
      group.add(s);
    }
  }
  add(group, robot.name, "#c9d1d9");
}

// A CT plane as the service cuts it (docs/scene.md, "CT planes"): 8-bit pixels, row-major, and the LPS corners of the
// first pixel, the end of the first row and the end of the first column. Below the window (air, lung) is see-through,
// so a plane shows the body's cross-section and not a black square.
function planeTexture(slice) {
  const rgba = new Uint8Array(slice.width * slice.height * 4);
  const grey = Uint8Array.from(atob(slice.pixelsBase64), (c) => c.charCodeAt(0));
  for (let i = 0; i < grey.length; i++) { rgba.set([grey[i], grey[i], grey[i], grey[i] > 0 ? 255 : 0], 4 * i); }
  const texture = new THREE.DataTexture(rgba, slice.width, slice.height, THREE.RGBAFormat);
  texture.colorSpace = THREE.SRGBColorSpace;
  texture.magFilter = THREE.LinearFilter;
  texture.needsUpdate = true;
  return texture;
}

function planeCorners(slice) {
  const o = v(slice.originLps), r = v(slice.rowEndLps), c = v(slice.columnEndLps);
  const far = r.clone().add(c).sub(o);
  // Pixel (x, y) is byte y·width + x: u runs along the row, v down the columns (a DataTexture is not flipped).
  return [...o.toArray(), ...r.toArray(), ...far.toArray(), ...c.toArray()];
}

function planeMesh(name) {
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute("position", new THREE.Float32BufferAttribute(new Array(12).fill(0), 3));
  geometry.setAttribute("uv", new THREE.Float32BufferAttribute([0, 0, 1, 0, 1, 1, 0, 1], 2));
  geometry.setIndex([0, 1, 2, 0, 2, 3]);
  const material = new THREE.MeshBasicMaterial({ side: THREE.DoubleSide, transparent: true, opacity: sliceOpacity, alphaTest: 0.5 });
  const mesh = new THREE.Mesh(geometry, material);
  sliceMaterials.push(material);
  return add(mesh, name, "#8b949e");
}

function showPlane(mesh, slice) {
  const position = mesh.geometry.attributes.position;
  position.array.set(planeCorners(slice));
  position.needsUpdate = true;
  mesh.geometry.computeBoundingSphere();
  mesh.material.map?.dispose();
  mesh.material.map = planeTexture(slice);
  mesh.material.needsUpdate = true;
}

// An older scene without ctVolume: its one axial slice, fixed.
function addSlice(slice) {
  showPlane(planeMesh(slice.name), slice);
}

// The movable planes: one per orientation, fetched at the target's plane, then wherever its slider is put. A slider
// moved while a plane is loading asks again for the latest position once that answer is in.
const planes = {};

async function loadPlane(axis) {
  const p = planes[axis];
  if (p.loading) return;
  p.loading = true;
  try {
    while (p.wanted !== p.index) {
      const want = p.wanted;
      const slice = await api(`/api/rehearsals/${encodeURIComponent(id)}/ct?axis=${axis}&index=${want}`);
      showPlane(p.mesh, slice);
      p.index = slice.index;
      p.centre = planeCorners(slice).reduce((sum, x, i) => { sum[i % 3] += x / 4; return sum; }, [0, 0, 0]);
      document.getElementById(`ct-${axis}-value`).textContent = `${slice.index + 1} / ${slice.count}`;
    }
  } catch (err) { showError("error", err); }
  finally { p.loading = false; }
}

function addPlanes(volume) {
  const order = { sagittal: 0, coronal: 1, axial: 2 };
  for (const axis of ["axial", "coronal", "sagittal"]) {
    const count = axis === "axial" ? volume.size[2] : axis === "coronal" ? volume.size[1] : volume.size[0];
    const start = volume.targetIndex[order[axis]];
    planes[axis] = { mesh: planeMesh(`ct:${axis}`), index: -1, wanted: start, count, centre: null, loading: false };
    const slider = document.getElementById(`ct-${axis}`);
    slider.max = String(count - 1);
    slider.value = String(start);
    slider.disabled = false;
    slider.addEventListener("input", () => { planes[axis].wanted = Number(slider.value); loadPlane(axis); });
    loadPlane(axis);
  }
}

function addIsodoses(data) {
  const info = document.getElementById("plan-info");
  if (!data.plan || !data.isodoses?.length) {
    info.textContent = "No plan: this rehearsal names none (a plan of the same upload can be chosen when starting one), so there are no isodoses.";
    return;
  }
  for (const s of data.isodoses) if (s.triangles > 0) addSurface(s);
  const levels = data.isodoses.map((s) => `${s.percent} % (${fmt(s.doseGy, 1)} Gy${s.triangles ? "" : ", not reached"})`).join(", ");
  info.textContent = `Plan ${data.plan.id}: ${fmt(data.plan.prescriptionGy, 1)} Gy to ${data.plan.target ?? "the target"}, maximum ${fmt(data.plan.maxDoseGy, 1)} Gy. Isodoses at ${levels}.`;
}

function frame(box) {
  const size = box.getSize(new THREE.Vector3());
  centre = box.getCenter(new THREE.Vector3());
  const radius = Math.max(size.length() / 2, 50);
  camera.near = radius / 100;
  camera.far = radius * 20;
  // From the patient's anterior right, a little above: LPS has anterior at −Y and superior at +Z.
  camera.position.copy(centre).add(new THREE.Vector3(-0.55, -1.9, 0.75).multiplyScalar(radius));
  camera.updateProjectionMatrix();
  controls.target.copy(centre);
  controls.update();
}

function layers() {
  const list = document.getElementById("layers");
  list.innerHTML = "";
  for (const [name, { object, color }] of objects) {
    if (name.startsWith("trajectory:") && !name.endsWith(":1")) continue; // one switch for the other candidates below
    const item = document.createElement("li");
    item.innerHTML = `<label><input type="checkbox" checked data-name="${escapeHtml(name)}"><span>${escapeHtml(name)}</span></label>`;
    item.querySelector("label").style.setProperty("--c", color);
    item.querySelector("input").addEventListener("change", (e) => { object.visible = e.target.checked; });
    list.append(item);
  }
  const others = [...objects.keys()].filter((n) => n.startsWith("trajectory:") && !n.endsWith(":1"));
  if (others.length) {
    const item = document.createElement("li");
    item.innerHTML = `<label><input type="checkbox" checked><span>other candidates (${others.length})</span></label>`;
    item.querySelector("label").style.setProperty("--c", "#9fb8d0");
    item.querySelector("input").addEventListener("change", (e) => { for (const n of others) objects.get(n).object.visible = e.target.checked; });
    list.append(item);
  }
}

function facts(data) {
  const chosen = data.trajectories.find((t) => t.chosen);
  const triangles = data.surfaces.reduce((n, s) => n + s.triangles, 0);
  document.getElementById("scene-case").textContent = `· ${data.case}, target ${data.target}`;
  document.getElementById("scene-facts").innerHTML = `
    <dt>Feasible</dt><dd>${data.feasible ? "yes" : "no"}</dd>
    <dt>Clearance</dt><dd>${fmt(chosen?.minClearanceMm, 1)} mm from ${escapeHtml(data.avoid.join(", ") || "nothing")}</dd>
    <dt>Corridor</dt><dd>radius ${fmt(data.corridor.radiusMm, 1)} mm</dd>
    <dt>Candidates</dt><dd>${data.trajectories.length}</dd>
    <dt>Surfaces</dt><dd>${data.surfaces.length}, ${triangles} triangles</dd>
    <dt>Robot</dt><dd>${escapeHtml(data.robot.model)} at home</dd>
    <dt>CT</dt><dd>${data.ctVolume ? data.ctVolume.size.join(" × ") + " voxels kept" : `one axial slice, k = ${data.ctSlice.sliceIndex}`}</dd>
    <dt>Plan</dt><dd${data.plan ? ` title="${escapeHtml(data.plan.id)}"` : ""}>${data.plan ? escapeHtml(data.plan.id.slice(0, 8)) + "…" : "no plan"}</dd>`;
}

// WebXR, progressive: the button appears only where the browser offers an immersive VR session. In VR the scene is
// shown at life size (mm → m), superior up, its centre 0.6 m in front of the viewer at 1.1 m.
async function offerVr() {
  let supported = false;
  try { supported = !!navigator.xr && await navigator.xr.isSessionSupported("immersive-vr"); } catch { supported = false; }
  if (!supported) return;
  const button = document.getElementById("enter-vr");
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      const session = await navigator.xr.requestSession("immersive-vr", { optionalFeatures: ["local-floor"] });
      renderer.xr.enabled = true;
      renderer.xr.setReferenceSpaceType("local-floor");
      world.scale.setScalar(0.001);
      world.rotation.x = -Math.PI / 2;
      world.position.set(-centre.x * 0.001, 1.1 - centre.z * 0.001, -0.6 - centre.y * 0.001);
      session.addEventListener("end", () => {
        renderer.xr.enabled = false;
        world.scale.setScalar(1);
        world.rotation.x = 0;
        world.position.set(0, 0, 0);
      });
      await renderer.xr.setSession(session);
    } catch (err) { showError("error", err); }
  });
}

function build(data) {
  scene = new THREE.Scene();
  scene.background = new THREE.Color(BACKGROUND);
  world = new THREE.Group();
  scene.add(world);
  scene.add(new THREE.HemisphereLight(0xffffff, 0x303040, 1.6));
  const sun = new THREE.DirectionalLight(0xffffff, 1.8);
  sun.position.set(-0.4, -1, 0.8);
  scene.add(sun);
  renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
  renderer.setPixelRatio(window.devicePixelRatio);
  renderer.setSize(viewport.clientWidth, viewport.clientHeight);
  viewport.append(renderer.domElement);
  camera = new THREE.PerspectiveCamera(40, viewport.clientWidth / viewport.clientHeight, 1, 10000);
  camera.up.set(0, 0, 1);
  controls = new OrbitControls(camera, renderer.domElement);
  controls.enableDamping = true;

  for (const s of data.surfaces) addSurface(s);
  addPaths(data);
  addRobot(data.robot);
  addIsodoses(data);
  // The camera frames what is drawn so far: the planes are still empty here, so they do not widen the view.
  frame(new THREE.Box3().setFromObject(world));
  if (data.ctVolume) addPlanes(data.ctVolume); else addSlice(data.ctSlice);
  layers();
  facts(data);
  document.getElementById("slice-opacity").addEventListener("input", (e) => {
    sliceOpacity = Number(e.target.value) / 100;
    for (const m of sliceMaterials) m.opacity = sliceOpacity;
  });
  new ResizeObserver(() => {
    renderer.setSize(viewport.clientWidth, viewport.clientHeight);
    camera.aspect = viewport.clientWidth / viewport.clientHeight;
    camera.updateProjectionMatrix();
  }).observe(viewport);
  replayControls(data);
  renderer.setAnimationLoop((now) => {
    advanceReplay(now);
    controls.update();
    renderer.render(scene, camera);
    frames++;
  });
  offerVr();
  document.getElementById("session-open").hidden = !!sessionId;
  document.getElementById("session-open").addEventListener("click", () => openSession(id).catch((err) => showError("error", err)));
  if (sessionId) startSession(sessionId, sessionHooks(data.robot));
}

// What a shared session (session.js) does to this scene: move the arm, show the replay everyone watches, hear ours.
function sessionHooks(robot) {
  return {
    THREE, world, camera, renderer,
    setArm(baseLps, jointsLps, toolLps) {
      const old = objects.get(robot.name);
      if (old) {
        world.remove(old.object);
        old.object.traverse((o) => { o.geometry?.dispose(); o.material?.dispose(); });
      }
      addRobot({ ...robot, baseLps, jointsLps, toolLps });
    },
    async showReplay(frame, playing) {
      if (!replay.info) return;
      await loadReplay();
      showFrame(Math.min(frame, replay.info.frames - 1));
      replay.startFrame = replay.frame;
      replay.startedMs = performance.now();
      replay.playing = playing;
      document.getElementById("replay-play").textContent = playing ? "Pause" : "Play the insertion";
    },
    onLocalReplay(callback) { onReplayChange = callback; },
  };
}

/** What a test (or a console) can ask of the scene. */
window.metaiScene = {
  ready: false,
  /** Names of the scene's objects (surfaces, paths, corridor, robot, slice). */
  objectNames: () => [...objects.keys()],
  /** The robot group's parts. */
  robotParts: () => objects.get("robot")?.object.children.map((c) => c.name) ?? [],
  /** The replay: frame shown, frames, whether it plays, the largest displacement shown (mm). */
  replay: () => ({ frame: replay.frame, frames: replay.info?.frames ?? 0, playing: replay.playing, maxShownDisplacementMm: replay.maxShownMm }),
  /** The CT planes: per orientation the plane shown, how many there are, the one asked for and the plane's centre (LPS mm). */
  ctPlanes: () => Object.fromEntries(Object.entries(planes).map(([axis, p]) => [axis,
    { index: p.index, count: p.count, wanted: p.wanted, visible: p.mesh.visible, centreLps: p.centre }])),
  /** Frames drawn so far. */
  frames: () => frames,
  /** Renders once and reads the drawing buffer back: pixels unlike the background, distinct colours (4-bit), size, and the sum of all RGB values. */
  pixelStats() {
    renderer.render(scene, camera);
    const gl = renderer.getContext();
    const w = gl.drawingBufferWidth, h = gl.drawingBufferHeight;
    const pixels = new Uint8Array(w * h * 4);
    gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
    const [br, bgG, bb] = [(BACKGROUND >> 16) & 255, (BACKGROUND >> 8) & 255, BACKGROUND & 255];
    let foreground = 0, sum = 0;
    const colours = new Set();
    for (let i = 0; i < pixels.length; i += 4) {
      sum += pixels[i] + pixels[i + 1] + pixels[i + 2];
      if (Math.abs(pixels[i] - br) + Math.abs(pixels[i + 1] - bgG) + Math.abs(pixels[i + 2] - bb) > 12) foreground++;
      colours.add(((pixels[i] >> 4) << 8) | ((pixels[i + 1] >> 4) << 4) | (pixels[i + 2] >> 4));
    }
    const middle = 4 * (Math.floor(h / 2) * w + Math.floor(w / 2));
    return { width: w, height: h, foregroundFraction: foreground / (w * h), distinctColours: colours.size, sum,
      corner: [...pixels.slice(0, 4)], middle: [...pixels.slice(middle, middle + 4)] };
  },
};

async function load() {
  if (!id) { showError("error", new Error("No rehearsal given: open this page from the rehearsals list (scene.html?id=…).")); return; }
  if (scene) return;
  try {
    showError("error", null);
    const data = await api(`/api/rehearsals/${encodeURIComponent(id)}/scene`);
    build(data);
    window.metaiScene.ready = true;
  } catch (err) { showError("error", err); }
}

keyForm(load).then(load);
