/**
 * Strings several pages share, said once: the labs' skip link, parameter names, the PyTorch copy button,
 * the server's silence, preset names. A page's own catalogue imports this first and may override a key
 * (the lessons and practice pages say "Skip to the lesson" / "… exercise").
 */

import { addMessages } from "../i18n.js";

addMessages("en", {
  "nav.skip": "Skip to the lab",
  "table.row": "Row {r}",
  "table.column": "Column {c}",
  "act.none": "none",
  "act.relu": "ReLU",
  "act.leaky_relu": "Leaky ReLU",
  "act.sigmoid": "Sigmoid",
  "act.tanh": "Tanh",
  "param.stride": "Stride",
  "param.padding": "Padding",
  "param.dilation": "Dilation",
  "param.groups": "Groups",
  "code.copy": "Copy as PyTorch",
  "code.copied": "PyTorch code copied.",
  "server.offline": "The server did not answer. Is ConvScope still running?",
  "server.status": "The server answered with status {status}.",
  "preset.box_blur": "Box blur",
  "preset.sharpen": "Sharpen",
});

addMessages("zh-CN", {
  "nav.skip": "跳到实验室",
  "table.row": "第 {r} 行",
  "table.column": "第 {c} 列",
  "act.none": "无",
  "act.relu": "ReLU",
  "act.leaky_relu": "Leaky ReLU",
  "act.sigmoid": "Sigmoid",
  "act.tanh": "Tanh",
  "param.stride": "步幅",
  "param.padding": "填充",
  "param.dilation": "膨胀",
  "param.groups": "分组",
  "code.copy": "复制为 PyTorch 代码",
  "code.copied": "PyTorch 代码已复制。",
  "server.offline": "服务器没有响应。ConvScope 还在运行吗？",
  "server.status": "服务器返回了状态码 {status}。",
  "preset.box_blur": "均值模糊",
  "preset.sharpen": "锐化",
});
