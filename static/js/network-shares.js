/** The parameters panel: the total, and each layer's share of it as a bar (fully connected layers marked). */

import { $, el } from "./dom.js";
import { groupDigits } from "./format.js";
import { t } from "./i18n.js";

/** A bar `share` (0..1) long; never quite empty, so a tiny layer still shows. */
export function shareBar(share) {
  const bar = el("span", "share-bar");
  const fill = el("span", "share-fill");
  fill.style.width = `${Math.max(0.5, share * 100)}%`;
  bar.append(fill);
  return bar;
}

export const percent = (share) => (share * 100).toFixed(1);

export function renderShares(answer) {
  $("[data-total]").textContent = t("net.total", { total: groupDigits(answer.total_params) });
  const list = $("[data-share-list]");
  list.replaceChildren();
  let fc = 0;
  for (const layer of answer.layers) {
    if (layer.params.total === 0) continue;
    if (layer.type === "linear") fc += layer.params.share;
    const item = el("li", layer.type === "linear" ? "share fc" : "share");
    item.append(
      el("span", "share-name", `${layer.index} ${t(`type.${layer.type}`)}`),
      el("span", "share-value", `${groupDigits(layer.params.total)} · ${percent(layer.params.share)} %`),
      shareBar(layer.params.share),
    );
    list.append(item);
  }
  if (fc > 0) list.append(el("li", "share-note", t("net.fc_share", { share: percent(fc) })));
}
