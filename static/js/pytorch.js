/**
 * The PyTorch code that computes exactly what the lab shows, for students to paste into Python.
 */

import { formatNumber } from "./format.js";
import { poolStride } from "./state.js";
import { LEAKY_SLOPE } from "./vocabulary.js";

/** A Python float literal for a number (or nested lists of them). */
export function literal(value) {
  if (Array.isArray(value)) {
    return `[${value.map(literal).join(", ")}]`;
  }
  const text = formatNumber(value);
  return text.includes(".") || text.includes("e") ? text : `${text}.`;
}

/** PyTorch's spelling of an [h, w] size: one number when both agree. */
export function pair([a, b]) {
  return a === b ? String(a) : `(${a}, ${b})`;
}

/** The line that applies each activation to `y`, with the engine's own LeakyReLU slope. */
export const ACTIVATION_CODE = {
  relu: "torch.relu(y)",
  leaky_relu: `F.leaky_relu(y, negative_slope=${LEAKY_SLOPE})`,
  sigmoid: "torch.sigmoid(y)",
  tanh: "torch.tanh(y)",
};

function convCode(s) {
  const C = s.input.length;
  const F = s.kernel.length;
  const lines = [
    "import torch",
    "import torch.nn as nn",
    "import torch.nn.functional as F",
    "",
    `x = torch.tensor(${literal(s.input)}, dtype=torch.float64).unsqueeze(0)  # 1×${C}×H×W`,
  ];
  let padding = "0";
  let paddingMode = s.paddingMode;
  if (s.padding === "same" || s.padding === "valid") {
    padding = `"${s.padding}"`;
  } else {
    const [t, b, l, r] = s.padding;
    if (t === b && l === r) {
      padding = pair([t, l]);
    } else {
      const mode = s.paddingMode === "zeros" ? "constant" : s.paddingMode;
      lines.push(`x = F.pad(x, (${l}, ${r}, ${t}, ${b}), mode="${mode}")  # (left, right, top, bottom)`);
      paddingMode = "zeros";
    }
  }
  const kh = s.kernel[0][0].length;
  const kw = s.kernel[0][0][0].length;
  const args = [`${C}`, `${F}`, `kernel_size=${pair([kh, kw])}`, `stride=${pair(s.stride)}`, `padding=${padding}`];
  if (s.dilation[0] !== 1 || s.dilation[1] !== 1) args.push(`dilation=${pair(s.dilation)}`);
  if (s.groups !== 1) args.push(`groups=${s.groups}`);
  if (paddingMode !== "zeros") args.push(`padding_mode="${paddingMode}"`);
  args.push("bias=True", "dtype=torch.float64");
  lines.push(`conv = nn.Conv2d(${args.join(", ")})`);
  lines.push(`weight = torch.tensor(${literal(s.kernel)}, dtype=torch.float64)  # F×(C/groups)×kh×kw`);
  if (s.flip) {
    lines.push("weight = torch.flip(weight, dims=(2, 3))  # flipped: a true convolution");
  }
  lines.push("with torch.no_grad():");
  lines.push("    conv.weight.copy_(weight)");
  lines.push(`    conv.bias.copy_(torch.tensor(${literal(s.bias)}, dtype=torch.float64))`);
  lines.push("    y = conv(x)");
  if (s.activation !== "none") {
    lines.push(`    y = ${ACTIVATION_CODE[s.activation]}`);
  }
  lines.push("print(y)");
  return lines.join("\n");
}

function poolCode(s) {
  const p = s.pool;
  const lines = [
    "import torch",
    "import torch.nn as nn",
    "",
    `x = torch.tensor(${literal(s.input)}, dtype=torch.float64).unsqueeze(0)  # 1×C×H×W`,
  ];
  if (p.global) {
    lines.push(`pool = nn.${p.op === "max" ? "AdaptiveMaxPool2d" : "AdaptiveAvgPool2d"}(1)`);
  } else {
    const args = [`kernel_size=${pair(p.size)}`, `stride=${pair(poolStride(p))}`, `padding=${pair(p.padding)}`];
    if (p.op === "max") {
      if (p.dilation[0] !== 1 || p.dilation[1] !== 1) args.push(`dilation=${pair(p.dilation)}`);
      if (p.ceil) args.push("ceil_mode=True");
      lines.push(`pool = nn.MaxPool2d(${args.join(", ")})`);
    } else {
      if (p.ceil) args.push("ceil_mode=True");
      if (!p.countIncludePad) args.push("count_include_pad=False");
      lines.push(`pool = nn.AvgPool2d(${args.join(", ")})`);
    }
  }
  lines.push("print(pool(x))");
  return lines.join("\n");
}

/** PyTorch code for the lab's current layer. */
export function pytorchCode(state) {
  return state.mode === "conv" ? convCode(state) : poolCode(state);
}
