/** Small DOM helpers shared by the practice pages (text only through textContent: nothing is parsed as HTML). */

import { t } from "../i18n.js";

export { $, el } from "../dom.js";

/** Known API rules say their sentence in the page's language; anything else shows the server's English. */
const RULE_KEYS = {
  name_required: "error.name_required",
  name_length: "error.name_length",
  token_form: "error.token",
  token_version: "error.token",
  token_length: "error.token",
  at_least_one_item: "error.no_items",
  too_many_exercises: "error.too_many",
  limit: "error.too_many_codes",
};

export function errorText(result) {
  if (result.offline || result.status === 0) return t("error.offline");
  const key = RULE_KEYS[result.rule];
  return key ? t(key) : result.detail || t("error.generic", { status: result.status });
}

export function showError(node, result) {
  node.textContent = result ? errorText(result) : "";
  node.hidden = !result;
}

/** Copy a field's text, saying so in a status line (falls back to selecting it for Ctrl+C). */
export async function copyField(field, status) {
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
    status.textContent = t("practice.copied");
  } catch {
    status.textContent = t("practice.copy_manual");
  }
}
