"""The English of every question and solution line, for API clients.

The page says the same in English and 简体中文 from static/js/messages/practice.js (same keys;
tests/test_practice_api.py checks that both languages have every key).
"""

ENGLISH = {
    "q.conv_cell": "What is {cell}? Find the kernel's window on the padded input, multiply and add.",
    "q.conv_cell.relu": "What is {cell} after the ReLU? Sum both channels' products, add the bias, then apply ReLU.",
    "q.pool_cell.max": "What is {cell} of this max pooling?",
    "q.pool_cell.avg": "What is {cell} of this average pooling? Give at least two decimals (±0.01).",
    "q.output_size.conv": "How many rows does the output of this convolution have?",
    "q.output_size.shape": (
        "A {shape} input (C×H×W) goes through this layer. What is the output's shape? Answer as C×H×W."
    ),
    "q.output_size.pool": "How many rows does the output of this pooling (ceil_mode on) have?",
    "q.same_padding.top": (
        "Padding “same” with a {k}×{k} kernel and dilation {d}: how many rows of padding go on the top?"
    ),
    "q.same_padding.bottom": (
        "Padding “same” with a {k}×{k} kernel and dilation {d}: how many rows of padding go on the bottom?"
    ),
    "q.padding_source": "With {mode} padding, which input cell does {cell} copy? Pick it in the grid.",
    "q.receptive_field.size": "After these {n} layers, how many input rows does one unit see (its receptive field)?",
    "q.receptive_field.jump": (
        "After these {n} layers, how many input rows apart are two neighbouring units (the jump)?"
    ),
    "q.param_count.total": "How many parameters (weights and biases) does this stack hold? The input is {shape}.",
    "q.param_count.linear": (
        "How many of this stack's parameters are in its fully connected (linear) layers? The input is {shape}."
    ),
    "q.transpose_size": "How many rows does the output of this transposed convolution have?",
    "q.gradient_cell.weight": (
        "The loss's gradient w.r.t. the output, ∂L/∂output, is given. What is {cell}, the gradient of one weight?"
    ),
    "q.gradient_cell.input": (
        "The loss's gradient w.r.t. the output, ∂L/∂output, is given. What is {cell}, the gradient of one input cell?"
    ),
    "q.gradient_cell.relu": (
        "This layer applies ReLU, and ∂L/∂output is given. What is {cell}? Output cells whose value before the "
        "ReLU is not positive pass no gradient back."
    ),
    "sol.math": "{text}",
    "sol.conv.window": (
        "{cell}: the window starts at padded row {row} = {top}, column {col} = {left}; taps are {d} apart."
    ),
    "sol.conv.sum": "{terms} {sign} {bias} (bias) = {value}",
    "sol.conv.channel": "channel {n}: {terms} = {value}",
    "sol.pool.window": "{cell}: the {kh}×{kw} window starts at padded row {row} = {top}, column {col} = {left}.",
    "sol.pool.max_padding": "Padding (and any cell past the edge) counts as −∞, so it never wins.",
    "sol.pool.avg_counts_pad": "÷ {d}: the padding cells count (count_include_pad is on).",
    "sol.pool.avg_skips_pad": "÷ {d}: only the real cells count (count_include_pad is off).",
    "sol.pool.overhang": (
        "ceil_mode keeps this last window although it hangs over the edge; cells past the edge never count."
    ),
    "sol.size.square": "The input is square, so the width is the same.",
    "sol.size.channels": "{c} filters give {c} channels: {shape}.",
    "sol.size.dropped": "The last window would start in the right padding, so ceil_mode drops it: {size}.",
    "sol.same.total": "“same” pads d×(k−1) = {text} rows in all.",
    "sol.same.split": (
        "The total is odd, so PyTorch puts the extra row on the bottom (and the extra column on the right)."
    ),
    "sol.same.even": "The total is even: the same on both sides.",
    "sol.source.row.inside": "Padded row {p} is input row {q}: inside the input.",
    "sol.source.row.replicate": (
        "Padded row {p} is input row {q}, outside rows 0…{last}; replicate copies the nearest edge row: {src}."
    ),
    "sol.source.row.reflect": (
        "Padded row {p} is input row {q}, outside rows 0…{last}; reflect mirrors about the edge row without "
        "repeating it: {src}."
    ),
    "sol.source.row.circular": (
        "Padded row {p} is input row {q}, outside rows 0…{last}; circular wraps around: {q} mod {n} = {src}."
    ),
    "sol.source.col.inside": "Padded column {p} is input column {q}: inside the input.",
    "sol.source.col.replicate": (
        "Padded column {p} is input column {q}, outside columns 0…{last}; replicate copies the nearest edge "
        "column: {src}."
    ),
    "sol.source.col.reflect": (
        "Padded column {p} is input column {q}, outside columns 0…{last}; reflect mirrors about the edge "
        "column without repeating it: {src}."
    ),
    "sol.source.col.circular": (
        "Padded column {p} is input column {q}, outside columns 0…{last}; circular wraps around: {q} mod {n} = {src}."
    ),
    "sol.rf.start": (
        "Start with r = 1 (one input cell) and j = 1; each layer adds (k−1)×d×j and multiplies j by its stride."
    ),
    "sol.rf.layer": "layer {n}, {name}: {formula}",
    "sol.rf.size": "Receptive field: {rf} rows (and {rf} columns).",
    "sol.rf.jump": "Jump: {jump} input rows between neighbouring units.",
    "sol.params.layer": "layer {n}, {name}: {formula}",
    "sol.params.share": "That is {share}% of all {total} parameters.",
    "sol.params.gap": "Global average pooling has no parameters: the linear layer reads only one number per channel.",
    "sol.grad.weight_window": (
        "{cell}: weight [{a}][{b}] touched the {h}×{w} input cells starting at row {a}, column {b}; multiply each by "
        "the output gradient where it was used, and add."
    ),
    "sol.grad.relu": "ReLU passes gradient only where the value before it was positive: {passed} of {total} cells.",
    "sol.grad.readers": (
        "{cell}: the windows of {readers} read this cell; each hands back its ∂L/∂output × the weight it met there."
    ),
    "sol.grad.unread": "{cell}: no window reads this cell (the windows step past it), so its gradient is 0.",
    "sol.grad.sum": "{terms} = {value}",
    "sol.transpose.formula": "Output size = (n − 1)×s − 2×p + d×(k − 1) + output_padding + 1:",
}


def english(key: str, params: dict) -> str:
    text = ENGLISH.get(key, key)
    for name, value in params.items():
        text = text.replace("{" + name + "}", str(value))
    return text
