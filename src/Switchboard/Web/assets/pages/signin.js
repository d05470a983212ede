import { api, go, h, notice, session } from "../app.js";

/** Sign in with a management key, or the operator password when the gateway has one configured. */
export async function render() {
  let mode = "key";
  const message = h("div");
  const keyField = h("input", { id: "credential", name: "credential", type: "password", autocomplete: "current-password", required: true,
    placeholder: "sk-sb-v1-…" });
  const label = h("label", { for: "credential" }, "Management key", keyField);
  const tabs = ["key", "password"].map(which => h("button", { type: "button", role: "tab", "aria-selected": String(which === mode), onclick: () => {
    mode = which;
    tabs.forEach((tab, i) => tab.setAttribute("aria-selected", String(["key", "password"][i] === mode)));
    label.firstChild.textContent = mode === "key" ? "Management key" : "Operator password";
    keyField.placeholder = mode === "key" ? "sk-sb-v1-…" : "";
  } }, which === "key" ? "Management key" : "Operator password"));

  const submit = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h("form", { class: "form", onsubmit: async event => {
    event.preventDefault();
    submit.disabled = true;
    const answer = await api("/web/session", { method: "POST", body: mode === "key" ? { key: keyField.value } : { password: keyField.value } });
    submit.disabled = false;
    if (!answer.ok) {
      message.replaceChildren(notice(answer.message));
      keyField.focus();
      return;
    }
    session.current = answer.data.data;
    const next = new URLSearchParams(location.search).get("next");
    go(next && next.startsWith("/") && !next.startsWith("//") ? next : "/models");
  } }, label, submit);

  return h("div", { class: "signin panel" },
    h("div", { class: "brand" }, h("img", { src: "/assets/favicon.svg", alt: "" }), "Switchboard"),
    h("p", { class: "muted" }, "Sign in with a management key of your account. Inference keys call models and cannot sign in."),
    h("div", { class: "tabs", role: "tablist" }, tabs),
    message,
    form);
}
