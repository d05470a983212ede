import { api, chats, h, notice, session } from "../app.js";

export const title = "Settings";
export const needsSession = true;

const percent = fraction => `${(Number(fraction) * 100).toLocaleString(undefined, { maximumFractionDigits: 4 })} %`;
// Percent in the form, fractions on the wire: 5 (%) is sent as 0.05. Decimal strings, so 2.5 % is not 0.025000000000000001.
const toFraction = text => (text.trim() === "" ? null : Number((Number(text) / 100).toPrecision(12)));

/** The account's data policy and default model; for the operator, the markup and BYOK fee. */
export async function render() {
  const [settings, catalog] = await Promise.all([api("/web/settings"), api("/web/catalog")]);
  if (!settings.ok) return [h("h1", {}, "Settings"), notice(settings.message)];
  const { account, rates } = settings.data;
  const models = catalog.ok ? catalog.data.models.filter(chats).toSorted((a, b) => a.name.localeCompare(b.name)) : [];
  const training = catalog.ok ? catalog.data.providers.filter(p => p.collects_data).map(p => p.name) : [];

  const storePrompts = h("input", { type: "checkbox", name: "store_prompts", checked: account.store_prompts });
  const excludeTraining = h("input", { type: "checkbox", name: "exclude_training_providers", checked: account.exclude_training_providers });
  const defaultModel = h("select", { name: "default_model", id: "default_model" },
    h("option", { value: "" }, "None: requests must name a model"),
    models.map(m => h("option", { value: m.id, selected: m.id === account.default_model }, `${m.name} (${m.id})`)));
  const accountMessage = h("div");
  const accountForm = h("form", { class: "form", "aria-labelledby": "account-settings", onsubmit: async event => {
    event.preventDefault();
    const answer = await api("/web/settings", { method: "PATCH", body: {
      store_prompts: storePrompts.checked,
      exclude_training_providers: excludeTraining.checked,
      default_model: defaultModel.value === "" ? null : defaultModel.value,
    } });
    accountMessage.replaceChildren(answer.ok ? notice("Account settings saved. They apply from the next request.", "success") : notice(answer.message));
  } },
    h("h2", { id: "account-settings" }, "Data policy and defaults"),
    accountMessage,
    h("label", { class: "check" }, storePrompts, "Store prompts and completions"),
    h("p", { class: "muted" }, "Off by default. When on, the text of every request and its completion is kept with the generation, and the Activity screen shows it. Turning it off stops storing; what was stored stays."),
    h("label", { class: "check" }, excludeTraining, "Exclude providers that may retain or train on prompts"),
    h("p", { class: "muted" }, training.length
      ? `Requests then never go to: ${training.join(", ")}. A model served only by them is refused with 404, naming this setting.`
      : "No provider in this gateway's catalog says it retains or trains on prompts."),
    h("label", {}, "Default model (used when a request names none)", defaultModel),
    h("div", { class: "row" }, h("button", { type: "submit", class: "primary" }, "Save")));

  const sections = [
    h("h1", {}, "Settings"),
    h("p", { class: "lede" }, session.current?.is_admin ? "Settings of the admin account, and the gateway's billing rates." : "Settings of your account."),
    h("section", { class: "panel settings" }, accountForm),
  ];

  if (rates) {
    const markup = h("input", { name: "markup", id: "markup", type: "number", min: "0", max: "1000", step: "any", value: Number(rates.markup) * 100 });
    const byokFee = h("input", { name: "byok_fee", id: "byok_fee", type: "number", min: "0", max: "1000", step: "any", value: Number(rates.byok_fee) * 100 });
    const ratesMessage = h("div");
    const save = async body => {
      const answer = await api("/web/settings/rates", { method: "PUT", body });
      if (answer.ok) {
        markup.value = Number(answer.data.rates.markup) * 100;
        byokFee.value = Number(answer.data.rates.byok_fee) * 100;
      }
      ratesMessage.replaceChildren(answer.ok ? notice("Rates saved. Every replica prices with them from its next request.", "success") : notice(answer.message));
    };
    sections.push(h("section", { class: "panel settings" }, h("form", { class: "form", "aria-labelledby": "rates", onsubmit: async event => {
      event.preventDefault();
      await save({ markup: toFraction(markup.value), byok_fee: toFraction(byokFee.value) });
    } },
      h("h2", { id: "rates" }, "Billing rates (operator)"),
      ratesMessage,
      h("label", {}, "Markup on every charge (%)", markup),
      h("label", {}, "BYOK fee: share of the list price charged when an account's own provider key is used (%)", byokFee),
      h("p", { class: "muted" }, `Configured (Switchboard:Billing): markup ${percent(rates.configured_markup)}, BYOK fee ${percent(rates.configured_byok_fee)}. Requests already running keep the rate they were reserved at; their charge uses the new one.`),
      h("div", { class: "row" },
        h("button", { type: "submit", class: "primary" }, "Save rates"),
        h("button", { type: "button", onclick: () => save({ markup: null, byok_fee: null }) }, "Use configured rates")))));
  }
  return sections;
}
