/**
 * PyTorch code that reproduces the Backward lab's numbers with loss.backward(): the layer is run
 * forward with requires_grad tensors, the loss is Σ grad_output × y (so d loss / d y is exactly the
 * output gradient shown), and x.grad, weight.grad, bias.grad are the lab's three gradients.
 */

import { ACTIVATION_CODE, literal, pair } from "./pytorch.js";
import { formatNumber } from "./format.js";
import { poolStride } from "./state.js";

/** [top, bottom, left, right] for any padding form, "same" resolved as PyTorch does. */
export function paddingSides(s) {
  if (s.padding === "valid") return [0, 0, 0, 0];
  if (s.padding === "same") {
    const k = [s.kernel[0][0].length, s.kernel[0][0][0].length];
    const [th, tw] = k.map((n, a) => s.dilation[a] * (n - 1));
    return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
  }
  return s.padding;
}

const HEADER = ["import torch", "import torch.nn.functional as F", ""];
const TENSOR = (name, value, grad, comment) =>
  `${name} = torch.tensor(${literal(value)}, dtype=torch.float64${grad ? ", requires_grad=True" : ""})  # ${comment}`;

function convCode(s, grad) {
  const [t, b, l, r] = paddingSides(s);
  const mode = s.paddingMode === "zeros" ? "constant" : s.paddingMode;
  const lines = [
    ...HEADER,
    TENSOR("x", s.input, true, "C×H×W"),
    TENSOR("weight", s.kernel, true, "F×(C/groups)×kh×kw"),
    TENSOR("bias", s.bias, true, "F"),
    s.flip ? "w = torch.flip(weight, dims=(2, 3))  # a true convolution" : "w = weight",
    `padded = F.pad(x.unsqueeze(0), (${l}, ${r}, ${t}, ${b}), mode="${mode}")  # (left, right, top, bottom)`,
  ];
  const args = ["padded", "w", "bias", `stride=${pair(s.stride)}`, `dilation=${pair(s.dilation)}`];
  if (s.groups !== 1) args.push(`groups=${s.groups}`);
  lines.push(`y = F.conv2d(${args.join(", ")})[0]`);
  if (s.activation !== "none") lines.push(`y = ${ACTIVATION_CODE[s.activation]}`);
  lines.push(
    TENSOR("grad_output", grad, false, "F×Ho×Wo: d loss / d y"),
    "loss = (grad_output * y).sum()",
    "loss.backward()",
    'print("grad_input", x.grad)',
    'print("grad_weight", weight.grad)',
    'print("grad_bias", bias.grad)',
  );
  return lines.join("\n");
}

function poolCode(s, grad) {
  const p = s.pool;
  const lines = [...HEADER, TENSOR("x", s.input, true, "C×H×W")];
  if (p.global) {
    lines.push(`y = F.${p.op === "max" ? "adaptive_max_pool2d" : "adaptive_avg_pool2d"}(x.unsqueeze(0), 1)[0]`);
  } else {
    const args = ["x.unsqueeze(0)", `kernel_size=${pair(p.size)}`, `stride=${pair(poolStride(p))}`, `padding=${pair(p.padding)}`];
    if (p.op === "max") {
      if (p.dilation[0] !== 1 || p.dilation[1] !== 1) args.push(`dilation=${pair(p.dilation)}`);
      if (p.ceil) args.push("ceil_mode=True");
      lines.push(`y = F.max_pool2d(${args.join(", ")})[0]`);
    } else {
      if (p.ceil) args.push("ceil_mode=True");
      if (!p.countIncludePad) args.push("count_include_pad=False");
      lines.push(`y = F.avg_pool2d(${args.join(", ")})[0]`);
    }
  }
  lines.push(
    TENSOR("grad_output", grad, false, "C×Ho×Wo: d loss / d y"),
    "loss = (grad_output * y).sum()",
    "loss.backward()",
    'print("grad_input", x.grad)',
  );
  return lines.join("\n");
}

/** PyTorch code for the Backward lab's layer and output gradient. */
export function backwardCode(state, grad) {
  return state.mode === "pool" ? poolCode(state, grad) : convCode(state, grad);
}

/** PyTorch code for Learn a kernel: the same gradient descent, step by step. */
export function fitCode(input, target, kernel, learningRate, steps) {
  return [
    ...HEADER,
    TENSOR("x", [[input]], false, "1×1×H×W"),
    TENSOR("target", [[target]], false, "what the output should become"),
    TENSOR("weight", [[kernel]], true, "the kernel that learns"),
    `for step in range(${steps}):`,
    "    loss = F.mse_loss(F.conv2d(x, weight), target)",
    "    weight.grad = None",
    "    loss.backward()",
    "    with torch.no_grad():",
    `        weight -= ${formatNumber(learningRate)} * weight.grad`,
    '    print(step + 1, loss.item())',
    "print(weight)",
  ].join("\n");
}
