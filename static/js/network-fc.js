/** The "a fully connected layer is a convolution" panel: the claim, both outputs side by side, the verdict. */

import { $, el } from "./dom.js";
import { t } from "./i18n.js";
import { shapeText } from "./network-maps.js";

export function renderFc(answer) {
  const body = $("[data-fc-body]");
  body.replaceChildren();
  const layer = answer.layers.find((l) => l.as_conv);
  if (!layer) {
    const hint = answer.layers.some((l) => l.type === "linear") && !answer.computed;
    body.append(el("p", "net-hint", t(hint ? "fc.shapes_only" : "fc.none")));
    return;
  }
  const conv = layer.as_conv;
  const map = answer.layers[layer.index - 1].in_shape;
  const [kf, kc, kh, kw] = conv.kernel_shape;
  const claim = t(kh === 1 && kw === 1 ? "fc.claim_1x1" : "fc.claim", {
    index: layer.index,
    inputs: layer.in_shape[0],
    outputs: kf,
    map: shapeText(map),
    c: kc,
    h: kh,
    w: kw,
  });
  body.append(el("p", "fc-claim", claim));
  const table = el("table", "fc-table");
  table.tabIndex = 0; // it may scroll sideways on a phone: reachable by keyboard
  const head = el("tr");
  for (const key of ["fc.output", "fc.linear", "fc.conv"]) head.append(el("th", "", t(key)));
  table.append(head);
  conv.linear_output.slice(0, 10).forEach((value, n) => {
    const row = el("tr");
    row.append(el("td", "", String(n)), el("td", "", value.toFixed(6)), el("td", "", conv.conv_output[n].toFixed(6)));
    table.append(row);
  });
  body.append(table);
  const shown = Math.min(10, conv.linear_output.length);
  const verdict = t(conv.max_abs_difference === 0 ? "fc.verdict_exact" : "fc.verdict", {
    shown,
    n: conv.linear_output.length,
    diff: conv.max_abs_difference.toExponential(1),
  });
  body.append(el("p", "fc-verdict", verdict));
}
