// API access for the pages: a signed-in session travels in its HTTP-only cookie; a personal token or shared key
// entered instead lives in this browser's localStorage and goes out in X-Api-Key. Every request carries
// X-MeTAI-Request, which the service asks of state-changing requests made with a session cookie (a cross-site form
// cannot send it).
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
  if (apiKey()) headers.set("X-Api-Key", apiKey());
  headers.set("X-MeTAI-Request", "1");
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

/** Who is signed in ({name, role, method, permissions}), or null. */
export let me = null;

/** Shows or hides every element with data-needs="permission" (or "a|b": any of them) for the signed-in user's role. */
function applyPermissions() {
  const permissions = me?.permissions ?? [];
  for (const el of document.querySelectorAll("[data-needs]")) el.hidden = !el.dataset.needs.split("|").some((p) => permissions.includes(p));
}

async function whoAmI() {
  try { me = await api("/api/session"); } catch { me = null; }
  const account = document.getElementById("account");
  const signIn = document.getElementById("signin-form");
  if (account) {
    account.hidden = !me;
    document.getElementById("account-name").textContent = me ? `${me.name} (${me.role})` : "";
  }
  if (signIn) signIn.hidden = !!me;
  applyPermissions();
}

/** The header's sign-in form (name, password; a new password when the server asks for one) and sign-out. */
function accountArea() {
  const header = document.querySelector("header.top");
  const keyFormEl = document.getElementById("key-form");
  if (!header || document.getElementById("signin-form")) return;
  const area = document.createElement("div");
  area.className = "account-area";
  area.innerHTML = `
    <form id="signin-form" aria-label="Sign in">
      <label for="signin-name" class="sr-only">Name</label><input id="signin-name" autocomplete="username" placeholder="name" required>
      <label for="signin-password" class="sr-only">Password</label><input id="signin-password" type="password" autocomplete="current-password" placeholder="password" required>
      <label for="signin-new" class="sr-only">New password</label><input id="signin-new" type="password" autocomplete="new-password" placeholder="new password (12+)" hidden>
      <button type="submit">Sign in</button>
    </form>
    <div id="account" hidden><span id="account-name"></span> <button id="signout" type="button" class="secondary">Sign out</button></div>`;
  header.insertBefore(area, keyFormEl);
  offerProviders();
  return area;
}

/** "Sign in with …" when the service has an identity provider (Service:Oidc); its refusal comes back in ?signin-error. */
async function offerProviders() {
  const refused = new URLSearchParams(location.search).get("signin-error");
  if (refused) {
    // Its own line: the page's loaders reuse #error for their own messages.
    const line = Object.assign(document.createElement("p"), { id: "signin-refused", className: "error", textContent: `Sign-in refused: ${refused}` });
    line.setAttribute("role", "alert");
    document.querySelector("main")?.prepend(line);
  }
  let providers = null;
  try { providers = await api("/api/session/providers"); } catch { return; }
  if (!providers?.oidc) return;
  const link = document.createElement("a");
  link.id = "signin-oidc";
  link.className = "button";
  link.href = providers.oidc.start;
  link.textContent = `Sign in with ${providers.oidc.name}`;
  document.getElementById("signin-form")?.append(link);
}

/** Wires the header: sign-in, sign-out and the token/key form; calls onChange after any of them. */
export function keyForm(onChange) {
  accountArea();
  const form = document.getElementById("key-form");
  const input = document.getElementById("api-key");
  if (form && input) {
    input.value = apiKey();
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      setApiKey(input.value);
      await whoAmI();
      onChange?.();
    });
  }
  document.getElementById("signin-form")?.addEventListener("submit", async (e) => {
    e.preventDefault();
    const newPassword = document.getElementById("signin-new");
    const body = { name: document.getElementById("signin-name").value, password: document.getElementById("signin-password").value };
    if (!newPassword.hidden && newPassword.value) body.newPassword = newPassword.value;
    try {
      setApiKey("");
      await api("/api/session", { method: "POST", body });
      showError("error", null);
      await whoAmI();
      onChange?.();
    } catch (error) {
      if (error.problem?.mustChangePassword) newPassword.hidden = false;
      showError("error", error);
    }
  });
  document.getElementById("signout")?.addEventListener("click", async () => {
    await api("/api/session", { method: "DELETE" }).catch(() => {});
    setApiKey("");
    if (input) input.value = "";
    await whoAmI();
    onChange?.();
  });
  return whoAmI();
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
    : "Sign in at the top right (or enter a personal token): this service needs an API key or a signed-in user.";
}

export function fmt(x, digits = 2) {
  return typeof x === "number" && Number.isFinite(x) ? x.toFixed(digits) : "–";
}

export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}
