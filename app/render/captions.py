"""Every word an animation prints, in each language it speaks; the caption font is subset from this.

`scripts/subset_caption_font.py` keeps exactly the characters of these templates (plus printable
ASCII for numbers, names and formulas) in `fonts/`, and a test fails when a template uses a
character the font lacks, so a new word here means re-running that script.
"""

import string
from typing import Literal

Lang = Literal["en", "zh-CN"]
LANGS: tuple[str, ...] = ("en", "zh-CN")

CATALOGUE: dict[str, dict[str, str]] = {
    "en": {
        "step": "step {n} of {total}: {where}",
        "where": "output[{row}, {col}]",
        "where_filter": "output[{row}, {col}] of filter {map}",
        "where_channel": "output[{row}, {col}] of channel {map}",
        "products_sum": "sum of the {count} products window·kernel = {value}",
        "bias": "+ {bias} (bias) ",
        "max_of": "max of {count} cells",
        "sum_over": "sum {sum} / {divisor}",
        "final": "all {count} steps done: output {shape}",
        "input": "input",
        "input_channel": "input channel {channel}",
        "note_padded": ", padded",
        "note_inserted": ", zeros inserted, padded",
        "note_gradient": ", here the output gradient, zeros inserted, padded",
        "output": "output",
        "output_filter": "output filter {map}",
        "pooled": "pooled",
        "pooled_channel": "pooled channel {map}",
    },
    "zh-CN": {
        "step": "第 {n} 步，共 {total} 步：{where}",
        "where": "输出[{row}, {col}]",
        "where_filter": "滤波器 {map} 的输出[{row}, {col}]",
        "where_channel": "通道 {map} 的输出[{row}, {col}]",
        "products_sum": "窗口·卷积核的 {count} 个乘积之和 = {value}",
        "bias": "+ {bias}（偏置）",
        "max_of": "{count} 个单元格的最大值",
        "sum_over": "和 {sum} / {divisor}",
        "final": "全部 {count} 步完成：输出 {shape}",
        "input": "输入",
        "input_channel": "输入通道 {channel}",
        "note_padded": "，已填充",
        "note_inserted": "，插入零并填充",
        "note_gradient": "，此处为输出梯度，插入零并填充",
        "output": "输出",
        "output_filter": "输出滤波器 {map}",
        "pooled": "池化结果",
        "pooled_channel": "池化通道 {map}",
    },
}

# Besides the templates a caption holds numbers (digits, "-", ".", "e", "inf"), activation names,
# "max(…)", "·" and "x": all printable ASCII is kept so any of them renders in the caption font.
EXTRA_CHARACTERS = string.digits + string.ascii_letters + string.punctuation + " ·×"


def text(lang: str, key: str, **values: object) -> str:
    return CATALOGUE[lang][key].format(**values)


def characters() -> str:
    """Every character a caption can contain, in either language: the font must have each."""
    chars = set(EXTRA_CHARACTERS)
    for templates in CATALOGUE.values():
        for template in templates.values():
            chars.update(_literal(template))
    return "".join(sorted(chars))


def _literal(template: str) -> str:
    return "".join(literal for literal, *_ in string.Formatter().parse(template))
