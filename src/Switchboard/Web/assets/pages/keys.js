import { api, h, money, notice } from "../app.js";

export const title = "Keys";
export const needsSession = true;

const resets = [["", "Never resets"], ["daily", "Daily"], ["weekly", "Weekly"], ["monthly", "Monthly"]];

/** A comma-separated field as the keys API takes it: null when empty (every model or provider). */
const commaList = text => {
  const items = text.split(",").map(item => item.trim()).filter(item => item !== "");
  return items.length === 0 ? null : items;
};

/** A whole-number field: null when empty (the gateway's limit). */
const whole = text => text.trim() === "" ? null : Number(text);

/** What an inference key may call and how often, in one cell of the list. */
function rules(key) {
  const parts = [];
  if (key.allowed_models) parts.push(h("div", {}, "Models: ", h("code", {}, key.allowed_models.join(", "))));
  if (key.allowed_providers) parts.push(h("div", {}, "Providers: ", h("code", {}, key.allowed_providers.join(", "))));
  if (key.requests_per_minute !== null) parts.push(h("div", {}, `${key.requests_per_minute} requests/min`));
  if (key.tokens_per_minute !== null) parts.push(h("div", {}, `${key.tokens_per_minute} tokens/min`));
  return parts.length === 0 ? h("span", { class: "muted" }, key.is_management_key ? "—" : "any model") : parts;
}

/** The account's keys: create (the secret shown once), edit limit, reset, expiry, name and rules, disable, delete. */
export async function render() {
  const message = h("div");
  const list = h("div");
  const refresh = async () => {
    const answer = await api("/api/v1/keys?include_disabled=true");
    if (!answer.ok) {
      list.replaceChildren(notice(answer.message));
      return;
    }
    const keys = answer.data.data;
    list.replaceChildren(keys.length === 0
      ? h("div", { class: "panel empty" }, "No keys yet. Create one to call models from your code.")
      : h("div", { class: "panel table-wrap" }, h("table", {},
          h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Key"), h("th", { class: "num" }, "Used"), h("th", { class: "num" }, "Limit"),
            h("th", {}, "Rules"), h("th", {}, "Expires"), h("th", {}, "State"), h("th", {}, h("span", { class: "muted" }, "Actions")))),
          h("tbody", {}, keys.map(key => h("tr", { "data-key": key.name },
            h("td", {}, key.name, key.is_management_key && h("div", {}, h("span", { class: "badge" }, "management"))),
            h("td", {}, h("code", {}, key.label)),
            h("td", { class: "num" }, money(key.usage)),
            h("td", { class: "num" }, key.limit === null ? "none" : `${money(key.limit)}${key.limit_reset ? ` ${key.limit_reset}` : ""}`,
              key.limit !== null && h("div", { class: "muted" }, `${money(key.limit_remaining)} left`)),
            h("td", { class: "rules" }, rules(key)),
            h("td", {}, key.expires_at ? new Date(key.expires_at).toLocaleDateString() : "never"),
            h("td", {}, key.disabled ? h("span", { class: "badge warn" }, "disabled") : h("span", { class: "badge good" }, "active")),
            h("td", {}, h("div", { class: "row" },
              h("button", { type: "button", onclick: () => edit(key) }, "Edit"),
              h("button", { type: "button", onclick: () => change(key, { disabled: !key.disabled }) }, key.disabled ? "Enable" : "Disable"),
              h("button", { type: "button", class: "danger", onclick: () => remove(key) }, "Delete")))))))));
  };

  async function change(key, fields) {
    const answer = await api(`/api/v1/keys/${key.hash}`, { method: "PATCH", body: fields });
    message.replaceChildren(answer.ok ? notice(`Key “${key.name}” updated.`, "success") : notice(answer.message));
    await refresh();
  }

  async function remove(key) {
    if (!confirm(`Delete the key “${key.name}”? Requests using it will be refused at once.`)) return;
    const answer = await api(`/api/v1/keys/${key.hash}`, { method: "DELETE" });
    message.replaceChildren(answer.ok ? notice(`Key “${key.name}” deleted.`, "success") : notice(answer.message));
    await refresh();
  }

  function keyForm(key, onSubmit) {
    const name = h("input", { name: "name", required: true, maxlength: "200", value: key?.name ?? "" });
    const limit = h("input", { name: "limit", type: "number", min: "0", step: "0.01", value: key?.limit ?? "", placeholder: "No limit" });
    const reset = h("select", { name: "limit_reset" }, resets.map(([value, text]) => h("option", { value, selected: (key?.limit_reset ?? "") === value }, text)));
    // Keys expire at the end of the chosen UTC day, so the earliest choice is today in UTC (the server refuses a past
    // expiry); an expired key's own date stays allowed, or the browser would refuse to save any other change to it.
    const initialExpiry = key?.expires_at ? key.expires_at.slice(0, 10) : "";
    const today = new Date().toISOString().slice(0, 10);
    const expires = h("input", { name: "expires_at", type: "date", value: initialExpiry, min: initialExpiry && initialExpiry < today ? initialExpiry : today });
    const management = h("input", { name: "is_management_key", type: "checkbox" });
    // Inference keys only: what the key may call and how often (empty: any model, any provider, the gateway's limits).
    const initialModels = (key?.allowed_models ?? []).join(", ");
    const initialProviders = (key?.allowed_providers ?? []).join(", ");
    const initialRpm = key?.requests_per_minute ?? "";
    const initialTpm = key?.tokens_per_minute ?? "";
    const models = h("input", { name: "allowed_models", value: initialModels, placeholder: "Any model, e.g. anthropic/*, openai/gpt-5.4-mini, *:free" });
    const providers = h("input", { name: "allowed_providers", value: initialProviders, placeholder: "Any provider, e.g. openai, anthropic" });
    const rpm = h("input", { name: "requests_per_minute", type: "number", min: "1", step: "1", value: initialRpm, placeholder: "Gateway default" });
    const tpm = h("input", { name: "tokens_per_minute", type: "number", min: "1", step: "1", value: initialTpm, placeholder: "Gateway default" });
    const governed = h("fieldset", { class: "rules" }, h("legend", {}, "Rules (inference keys)"),
      h("label", {}, "Allowed models", models),
      h("label", {}, "Allowed providers", providers),
      h("label", {}, "Requests per minute", rpm),
      h("label", {}, "Tokens per minute", tpm));
    const syncGoverned = () => { governed.hidden = key ? key.is_management_key : management.checked; };
    management.addEventListener("change", syncGoverned);
    syncGoverned();
    const error = h("div");
    const dialog = h("dialog", { "aria-label": key ? `Edit ${key.name}` : "Create a key" });
    const form = h("form", { class: "form", onsubmit: async event => {
      event.preventDefault();
      const fields = {
        name: name.value.trim(),
        limit: limit.value === "" ? null : Number(limit.value),
        limit_reset: reset.value === "" ? null : reset.value,
      };
      // Sent only when changed: saving a new name for a key that has already expired must not be refused for its old date.
      if (!key || expires.value !== initialExpiry) {
        fields.expires_at = expires.value === "" ? null : new Date(`${expires.value}T23:59:59Z`).toISOString();
      }
      if (!key && management.checked) fields.is_management_key = true;
      // Rules are sent only when changed, so renaming a key never trips over a rule the gateway's settings now refuse.
      if (!governed.hidden) {
        if (!key || models.value !== initialModels) fields.allowed_models = commaList(models.value);
        if (!key || providers.value !== initialProviders) fields.allowed_providers = commaList(providers.value);
        if (!key || rpm.value !== String(initialRpm)) fields.requests_per_minute = whole(rpm.value);
        if (!key || tpm.value !== String(initialTpm)) fields.tokens_per_minute = whole(tpm.value);
      }
      const problem = await onSubmit(fields, dialog);
      if (problem) error.replaceChildren(notice(problem));
    } },
      h("h2", {}, key ? `Edit “${key.name}”` : "Create a key"), error,
      h("label", {}, "Name", name),
      h("label", {}, "Spend limit (USD)", limit),
      h("label", {}, "Limit resets", reset),
      h("label", {}, "Expires", expires),
      !key && h("label", { class: "check" }, management, "Management key (manages keys and credits; cannot call models)"),
      governed,
      h("div", { class: "row" }, h("button", { type: "submit", class: "primary" }, key ? "Save" : "Create"),
        h("button", { type: "button", onclick: () => dialog.close() }, "Cancel")));
    dialog.append(form);
    dialog.addEventListener("close", () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
    name.focus();
  }

  function edit(key) {
    keyForm(key, async (fields, dialog) => {
      const answer = await api(`/api/v1/keys/${key.hash}`, { method: "PATCH", body: fields });
      if (!answer.ok) return answer.message;
      dialog.close();
      message.replaceChildren(notice(`Key “${fields.name}” saved.`, "success"));
      await refresh();
    });
  }

  function create() {
    keyForm(null, async (fields, dialog) => {
      const answer = await api("/api/v1/keys", { method: "POST", body: fields });
      if (!answer.ok) return answer.message;
      dialog.close();
      const secret = answer.data.key;
      const copy = h("button", { type: "button", onclick: async () => {
        await navigator.clipboard?.writeText(secret).catch(() => {});
        copy.textContent = "Copied";
      } }, "Copy");
      message.replaceChildren(h("div", { class: "notice success", role: "status" },
        h("strong", {}, `Key “${fields.name}” created. `), "Copy it now: it is shown only this once.",
        h("code", { class: "secret", "data-secret": true }, secret), copy));
      await refresh();
    });
  }

  await refresh();
  return [
    h("div", { class: "row spread" },
      h("div", {}, h("h1", {}, "Keys"), h("p", { class: "lede" }, "Inference keys call models; management keys manage this account.")),
      h("button", { type: "button", class: "primary", onclick: create }, "Create key")),
    message,
    list,
  ];
}
