/** The Image lab's requests: the multipart form every request starts from, and one POST that reads JSON or maps=binary. */
import { apiUrl } from "./api.js";
import { t } from "./i18n.js";
import { unpackAnswer } from "./image-lab-maps.js";
import { colorMode, control, state } from "./image-lab-state.js";
import { errorText } from "./messages/errors.js";

export function baseForm() {
  const form = new FormData();
  form.append("maps", "levels");
  if (state.file) {
    form.append("image", state.file, "upload");
  } else {
    form.append("sample", state.sample);
  }
  form.append("color", colorMode());
  form.append("max_side", control("max-side").value);
  form.append("include_values", "true");
  return form;
}

export async function post(path, form) {
  let response;
  try {
    response = await fetch(apiUrl(path), { method: "POST", body: form, headers: { Accept: "application/json, application/octet-stream" } });
  } catch {
    return { ok: false, detail: t("img.offline"), status: 0 };
  }
  performance.mark("il:headers");
  if (response.ok && response.headers.get("content-type") === "application/octet-stream") {
    const buffer = await response.arrayBuffer();
    performance.mark("il:body");
    return { ok: true, data: unpackAnswer(buffer) };
  }
  const body = await response.json().catch(() => ({}));
  if (response.ok) {
    return { ok: true, data: body };
  }
  const first = body.errors?.[0] || {};
  const detail = errorText({ rule: body.rule, field: body.field, params: first.params, detail: body.detail });
  return { ok: false, status: response.status, detail };
}
