/**
 * Server errors in the page's language: the server sends each error's `rule` and `params` as data
 * (app/api/errors.py). English pages show the server's own sentence; other languages say a rule
 * listed here in their words, with the same numbers, and fall back to the English sentence.
 */

import { addMessages, language, t } from "../i18n.js";

addMessages("zh-CN", {
  "error.unsupported_image": "该文件不是可接受格式的图片（{formats}）",
  "error.image_corrupt": "图片数据被截断或已损坏",
  "error.empty_file": "上传的文件是空的",
  "error.too_many_pixels": "图片的像素数超过了本服务器的上限",
  "error.needs_a_map": "第 {layer} 层（{type}）需要 C×H×W 的特征图，但前一层输出的是长度为 {size} 的向量：请把它移到展平层之前",
  "error.below_stride_or_dilation":
    "输出填充必须小于步幅或膨胀率之一；当前 output_padding {output_padding}，步幅 {stride}，膨胀率 {dilation}",
  "error.limit": "{field}：数值 {value} 超过了本服务器的上限 {limit}",
  "error.body_too_large": "上传的内容超过了本服务器接受的大小",
  "error.offline": "无法连接服务器",
  "error.in_output": "{field} 必须小于 {limit}（输出的范围）",
  "error.covers_window": "{field} 缺少窗口要读取的图片行或列",
  "error.sorted_in_picture": "{field} 必须是图片内互不相同、从小到大排列的行号或列号",
  "error.shape_matches": "{field} 的形状必须是 通道数 × 行数 × 列数",
  "error.pixel_range": "{field} 必须是 0 到 255 之间的像素值",
});

function formatted(params) {
  const out = {};
  for (const [name, value] of Object.entries(params || {})) {
    out[name] = typeof value === "number" ? value.toLocaleString(language() === "zh-CN" ? "zh-CN" : "en") : value;
  }
  return out;
}

/**
 * One error as a sentence in the page's language: by `rule` and `params` when this page knows the
 * rule, else the server's English `detail` (never a raw key).
 */
export function errorText({ rule, params, detail, field } = {}) {
  const key = `error.${rule}`;
  if (language() === "en" || !rule || t(key) === key) {
    return detail || "";
  }
  return t(key, { field: field || "", ...formatted(params) });
}
