// Switchboard web app: a small router over the gateway's JSON API. Every piece of text from the server or a user
// is put on the page with textContent (see h()), never as HTML.

const pages = [
  { path: /^\/(models)?$/, nav: "/models", title: "Models", load: () => import("./pages/models.js") },
  { path: /^\/models\/(.+)$/, nav: "/models", title: "Model", load: () => import("./pages/model.js") },
  { path: /^\/keys$/, nav: "/keys", title: "Keys", load: () => import("./pages/keys.js") },
  { path: /^\/credits$/, nav: "/credits", title: "Credits", load: () => import("./pages/credits.js") },
  { path: /^\/providers$/, nav: "/providers", title: "Providers", load: () => import("./pages/providers.js") },
  { path: /^\/playground$/, nav: "/playground", title: "Playground", load: () => import("./pages/playground.js") },
  { path: /^\/compare$/, nav: "/compare", title: "Compare", load: () => import("./pages/compare.js") },
  { path: /^\/activity$/, nav: "/activity", title: "Activity", load: () => import("./pages/activity.js") },
  { path: /^\/settings$/, nav: "/settings", title: "Settings", load: () => import("./pages/settings.js") },
];
/** [href, label, operator only] */
const nav = [["/models", "Models"], ["/playground", "Playground"], ["/compare", "Compare"], ["/activity", "Activity"], ["/keys", "Keys"], ["/credits", "Credits"], ["/providers", "Providers"], ["/settings", "Settings"]];

export const session = { current: null };

/**
 * Spend alerts of the last 7 days, for the badge on the Credits link: read at most once a minute per account, and
 * whenever the Credits screen loads.
 */
const recentAlerts = { account: null, count: 0, readAt: 0 };

export function setRecentAlerts(count) {
  Object.assign(recentAlerts, { account: session.current?.account_id ?? null, count, readAt: Date.now() });
}

async function refreshRecentAlerts() {
  if (!session.current || (recentAlerts.account === session.current.account_id && Date.now() - recentAlerts.readAt < 60_000)) return;
  const answer = await api("/web/alerts?limit=0");
  if (answer.ok) setRecentAlerts(answer.data.data.recent);
}

/** The Credits link's badge: the count is shown, and read out as the link's description rather than its name. */
function alertBadge() {
  const count = recentAlerts.account === session.current?.account_id ? recentAlerts.count : 0;
  if (count === 0) return null;
  return [h("span", { class: "nav-count", "aria-hidden": "true", "data-alert-count": true }, String(count)),
    h("span", { id: "credits-alerts", class: "visually-hidden", "aria-hidden": "true" }, `${count} spend alert${count === 1 ? "" : "s"} in the last 7 days`)];
}

/** Builds an element. Strings and numbers become text nodes; attributes starting with "on" become listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on")) element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** The headers every change the app makes carries: the session's anti-forgery token. */
export const changeHeaders = () => (session.current ? { "X-CSRF-Token": session.current.csrf_token } : {});

/** Calls the API. Answers { ok, status, data, message }: an error's message is the gateway's own. */
export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") Object.assign(headers, changeHeaders());
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
  } catch {
    return { ok: false, status: 0, message: "The gateway cannot be reached. Is it running?" };
  }
  const json = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401 && !path.startsWith("/web/session")) {
    session.current = null;
    go(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`);
  }
  return response.ok
    ? { ok: true, status: response.status, data: json }
    : { ok: false, status: response.status, message: json?.error?.message ?? `HTTP ${response.status}` };
}

export function go(path) {
  if (location.pathname + location.search !== path) history.pushState(null, "", path);
  render();
}

export const money = (usd, digits = 4) =>
  usd === null || usd === undefined ? "—" : `$${Number(usd).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: digits })}`;

/** Models that chat: embedding models answer POST /embeddings only, so pickers that start a chat leave them out. */
export const chats = model => !model.output_modalities.includes("embeddings");

export const notice = (message, kind = "error") => h("div", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" }, message);

function applyTheme(theme) {
  if (theme) document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
}

function themeToggle() {
  const dark = () => (document.documentElement.dataset.theme ?? (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light")) === "dark";
  const button = h("button", { type: "button", "aria-label": "Switch between light and dark theme", onclick: () => {
    const next = dark() ? "light" : "dark";
    localStorage.setItem("theme", next);
    applyTheme(next);
    button.textContent = dark() ? "Light theme" : "Dark theme";
  } }, dark() ? "Light theme" : "Dark theme");
  return button;
}

function shell(page, content) {
  const who = session.current;
  return h("div", { class: "shell" },
    h("aside", { class: "sidebar" },
      h("a", { class: "brand", href: "/models", "data-link": true }, h("img", { src: "/assets/favicon.svg", alt: "" }), "Switchboard"),
      h("nav", { class: "nav", "aria-label": "Main" }, nav.filter(([, , operator]) => !operator || who?.is_admin).map(([href, label]) => {
        const badge = href === "/credits" ? alertBadge() : null;
        return h("a", { href, "data-link": true, "aria-current": page.nav === href ? "page" : false, "aria-describedby": badge ? "credits-alerts" : false },
          label, badge);
      })),
      h("div", { class: "spacer" }),
      themeToggle(),
      who
        ? h("div", { class: "who" },
            h("div", { class: "detail" }, who.is_admin ? "Operator (admin account)" : `Account #${who.account_id}`, h("br"), who.key_label),
            h("button", { type: "button", onclick: signOut }, "Sign out"))
        : h("a", { href: "/sign-in", "data-link": true }, "Sign in")),
    h("main", { id: "main", tabindex: "-1" }, content));
}

async function signOut() {
  await api("/web/session", { method: "DELETE" });
  session.current = null;
  go("/sign-in");
}

async function loadSession() {
  const answer = await api("/web/session");
  session.current = answer.ok ? answer.data.data : null;
}

let rendering = 0;
export async function render() {
  const ticket = ++rendering;
  const root = document.getElementById("app");
  if (location.pathname === "/sign-in") {
    const { render: signIn } = await import("./pages/signin.js");
    root.replaceChildren(await signIn());
    return;
  }
  const page = pages.find(p => p.path.test(location.pathname));
  if (!page) {
    root.replaceChildren(shell({}, [h("h1", {}, "Not found"), h("p", {}, "There is no page at this address. ", h("a", { href: "/models", "data-link": true }, "Browse the models"), ".")]));
    return;
  }
  const module = await page.load();
  if (module.needsSession && !session.current) await loadSession();
  if (module.needsSession && !session.current) {
    go(`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`);
    return;
  }
  let content;
  const badge = page.nav === "/credits" ? null : refreshRecentAlerts(); // the Credits screen reads the alerts itself
  try {
    content = await module.render(location.pathname.match(page.path), new URLSearchParams(location.search));
  } catch (error) {
    content = notice(`This page failed to load: ${error.message}`);
  }
  await badge;
  if (ticket !== rendering) return; // a newer navigation won
  document.title = `${module.title ?? page.title} · Switchboard`;
  root.replaceChildren(shell(page, content));
  document.getElementById("main")?.focus({ preventScroll: true });
}

document.addEventListener("click", event => {
  const link = event.target.closest?.("a[data-link]");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  go(link.getAttribute("href"));
});
addEventListener("popstate", render);
applyTheme(localStorage.getItem("theme"));
await loadSession();
render();
