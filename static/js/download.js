/**
 * "Download GIF": asks the server to render the current layer as an animation and saves it.
 */

import { postForBlob } from "./api.js";
import { t } from "./i18n.js";

const EXTENSIONS = { gif: "gif", webp: "webp", apng: "png" };

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Fetch and save the animation (`frameMs` per step); resolves to a sentence for the status line. */
export async function downloadAnimation(mode, body, format, frameMs) {
  const path = mode === "conv" ? "/api/v1/conv2d/animation" : "/api/v1/pool2d/animation";
  const answer = await postForBlob(path, { ...body, format, frame_ms: frameMs });
  if (answer.ok) {
    save(answer.blob, `convscope.${EXTENSIONS[format] || format}`);
    return t("download.done", { format: format.toUpperCase() });
  }
  if (answer.status === 404 || answer.status === 405) {
    return t("download.unavailable");
  }
  if (answer.offline) {
    return t("error.offline");
  }
  return answer.detail ? t("download.failed", { detail: answer.detail }) : t("error.status", { status: answer.status });
}
