// API access for the pages: the key lives in this browser's localStorage and goes out in X-Api-Key.
const KEY = "metai.apiKey";

export function apiKey() { return localStorage.getItem(KEY) ?? ""; }

export function setApiKey(key) {
  if (key) localStorage.setItem(KEY, key.trim()); else localStorage.removeItem(KEY);
}

/** An error carrying the problem details the service answered with. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problemText(problem) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function problemText(p) {
  if (!p) return "";
  let text = [p.title, p.detail].filter(Boolean).join(": ");
  if (p.errors) text += " " + Object.values(p.errors).flat().join(" ");
  return text.trim();
}

/** fetch with the key; JSON in and out; throws ApiError with the problem details on failure. */
export async function api(path, options = {}) {
  const headers = new Headers(options.headers ?? {});
  headers.set("X-Api-Key", apiKey());
  let body = options.body;
  if (body !== undefined && !(body instanceof Blob) && !(body instanceof ArrayBuffer) && typeof body !== "string") {
    headers.set("Content-Type", "application/json");
    body = JSON.stringify(body);
  }
  const response = await fetch(path, { ...options, headers, body });
  const type = response.headers.get("Content-Type") ?? "";
  const data = type.includes("json") ? await response.json() : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Wires the header's key form; calls onChange after a key is saved. */
export function keyForm(onChange) {
  const form = document.getElementById("key-form");
  const input = document.getElementById("api-key");
  if (!form || !input) return;
  input.value = apiKey();
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    setApiKey(input.value);
    onChange?.();
  });
}

/** Shows an error (or clears it) in the element with id errorId. */
export function showError(errorId, error) {
  const el = document.getElementById(errorId);
  if (!el) return;
  if (!error) { el.textContent = ""; el.hidden = true; return; }
  el.hidden = false;
  // A first visit has sent no key at all: nothing was refused, the visitor has yet to give one.
  el.textContent = error.status !== 401 ? error.message
    : apiKey() ? "The service refused the API key (401). Enter a valid key at the top right. " + error.message
    : "This service needs an API key: enter yours at the top right.";
}

export function fmt(x, digits = 2) {
  return typeof x === "number" && Number.isFinite(x) ? x.toFixed(digits) : "–";
}

export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
