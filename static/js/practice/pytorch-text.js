/** A layer body written as the PyTorch line that builds it: the same words in every language. */

const pair = (v) => (Array.isArray(v) ? (v[0] === v[1] ? v[0] : `(${v.join(", ")})`) : v);
const minus = (v) => String(v).replace("-", "−");

function shape(matrix) {
  const dims = [];
  let level = matrix;
  while (Array.isArray(level)) {
    dims.push(level.length);
    level = level[0];
  }
  return dims;
}

function args(list) {
  return list.filter(([, value, fallback]) => value !== undefined && value !== fallback).map(([name, value]) => `${name}=${value}`);
}

export function convText(body) {
  const dims = shape(body.kernel);
  const k = dims.slice(-2);
  const channels = shape(body.input).length === 3 ? shape(body.input)[0] : 1;
  const filters = dims.length === 4 ? dims[0] : 1;
  const padding = typeof body.padding === "string" ? `'${body.padding}'` : pair(body.padding);
  const parts = [
    channels,
    filters,
    `kernel_size=${pair(k)}`,
    ...args([
      ["stride", pair(body.stride), 1],
      ["padding", padding, 0],
      ["padding_mode", body.padding_mode && `'${body.padding_mode}'`, "'zeros'"],
      ["dilation", pair(body.dilation), 1],
    ]),
  ];
  let text = `nn.Conv2d(${parts.join(", ")})`;
  if (body.bias !== undefined && body.bias !== 0) text += ` · bias = ${minus(body.bias)}`;
  if (body.activation === "relu") text += " → nn.ReLU()";
  return text;
}

export function poolText(body) {
  const name = body.mode === "avg" ? "nn.AvgPool2d" : "nn.MaxPool2d";
  const parts = [
    `kernel_size=${pair(body.kernel_size)}`,
    ...args([
      ["stride", pair(body.stride), pair(body.kernel_size)],
      ["padding", pair(body.padding), 0],
      ["ceil_mode", body.ceil_mode ? "True" : undefined, undefined],
      ["count_include_pad", body.count_include_pad === false ? "False" : undefined, undefined],
    ]),
  ];
  return `${name}(${parts.join(", ")})`;
}

export function transposeText(body) {
  const parts = [
    1,
    1,
    `kernel_size=${pair(shape(body.kernel).slice(-2))}`,
    ...args([
      ["stride", pair(body.stride), 1],
      ["padding", pair(body.padding), 0],
      ["output_padding", pair(body.output_padding), 0],
      ["dilation", pair(body.dilation), 1],
    ]),
  ];
  return `nn.ConvTranspose2d(${parts.join(", ")})`;
}

/** One network layer; `channels` is the number of channels coming in (null once flattened). */
export function layerText(spec, channels) {
  switch (spec.type) {
    case "conv": {
      const parts = [
        channels,
        spec.out_channels,
        `kernel_size=${pair(spec.kernel_size)}`,
        ...args([
          ["stride", pair(spec.stride), 1],
          ["padding", pair(spec.padding), 0],
          ["dilation", pair(spec.dilation), 1],
          ["bias", spec.bias === false ? "False" : undefined, undefined],
        ]),
      ];
      return `nn.Conv2d(${parts.join(", ")})`;
    }
    case "max_pool":
    case "avg_pool": {
      const name = spec.type === "max_pool" ? "nn.MaxPool2d" : "nn.AvgPool2d";
      const stride = spec.stride && pair(spec.stride) !== pair(spec.kernel_size) ? `, stride=${pair(spec.stride)}` : "";
      return `${name}(${pair(spec.kernel_size)}${stride})`;
    }
    case "global_avg_pool":
      return "nn.AdaptiveAvgPool2d(1)";
    case "flatten":
      return "nn.Flatten()";
    case "linear":
      return `nn.Linear(…, ${spec.out_features})`;
    default:
      return `nn.${{ relu: "ReLU", leaky_relu: "LeakyReLU", sigmoid: "Sigmoid", tanh: "Tanh" }[spec.type] || spec.type}()`;
  }
}

export { shape };
