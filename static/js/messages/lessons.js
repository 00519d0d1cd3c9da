/** The lessons' words, in English and Simplified Chinese. Order and lab links: app/api/routes/lessons.py. */

import { addMessages } from "../i18n.js";
import "./common.js";

addMessages("en", {
  "nav.skip": "Skip to the lesson",
  "lessons.title": "Lessons",
  "lessons.intro":
    "Short walkthroughs, one idea each. Read a few sentences, try the question, then open the lab in a prepared state and check your answer with real numbers.",
  "lessons.all": "All lessons",
  "glossary.title": "Glossary (English – 中文)",
  "glossary.link": "Glossary",
  "glossary.stride": "How far the kernel moves between two positions; stride 2 halves each side of the output.",
  "glossary.padding": "Extra cells around the input (zeros, or copies of the border) so the kernel can sit on the edges.",
  "glossary.dilation": "Gaps between the kernel's taps: a 3×3 kernel with dilation 2 spans 5×5 with the same nine weights (atrous convolution).",
  "glossary.receptive_field": "The input region one output value depends on; it grows with every layer.",
  "glossary.transposed": "The layer that scatters each input value as a stamp of the kernel: it makes maps larger (ConvTranspose2d).",
  "lessons.trail": "Where you are",
  "lessons.pager": "Previous and next lesson",
  "lessons.number": "Lesson {number} of {count}",
  "lessons.try": "Try this",
  "lessons.previous": "← Previous:",
  "lessons.next": "Next:",

  "lesson.correlation-vs-convolution.title": "Cross-correlation vs convolution",
  "lesson.correlation-vs-convolution.summary": "Why PyTorch's “convolution” does not flip the kernel.",
  "lesson.correlation-vs-convolution.p1":
    "A convolutional layer slides a small kernel over the input and, at each position, multiplies the cells under it by the kernel's weights and adds the products. Done exactly like that, without turning the kernel around, the operation is called cross-correlation.",
  "lesson.correlation-vs-convolution.p2":
    "Convolution in the mathematical sense first flips the kernel upside down and left to right. PyTorch's Conv2d, like every deep-learning library, skips the flip: the weights are learned anyway, so a network would simply learn the flipped kernel.",
  "lesson.correlation-vs-convolution.p3":
    "The difference shows best on an input with a single 1 in it (an impulse). Cross-correlation paints the kernel upside down and back to front around the 1; true convolution paints it the right way up.",
  "lesson.correlation-vs-convolution.question":
    "The kernel is 1 2 3 / 4 5 6 / 7 8 9. Before opening the lab, predict where the 9 appears in the output with and without the flip.",
  "open.correlation": "Open: cross-correlation (PyTorch)",
  "open.convolution": "Open: true convolution (flipped)",

  "lesson.padding-and-odd-kernels.title": "Padding, “same” size and odd kernels",
  "lesson.padding-and-odd-kernels.summary": "Keeping the size, and why kernels are 3×3, 5×5, 7×7.",
  "lesson.padding-and-odd-kernels.p1":
    "Without padding, a k×k kernel fits only n − k + 1 times along an axis of n cells, so every layer shrinks the map. Padding adds a ring of cells (zeros, usually) around the input so the kernel can also sit on the border.",
  "lesson.padding-and-odd-kernels.p2":
    "An odd kernel has a centre cell, the anchor, and (k − 1)/2 cells on each side of it. Padding (k − 1)/2 on every side therefore keeps the size: “same” padding. A 3×3 kernel needs 1, a 5×5 needs 2.",
  "lesson.padding-and-odd-kernels.p3":
    "An even kernel has no centre. A 2×2 kernel needs k − 1 = 1 cell of padding in total, which cannot be split evenly: PyTorch puts 0 on the top/left and 1 on the bottom/right, so the output is shifted by half a cell. That lopsided split is why almost every network uses odd kernels.",
  "lesson.padding-and-odd-kernels.question":
    "With padding “same”, how many cells of padding does a 4×4 kernel get on the top, and how many on the bottom?",
  "open.odd_same": "Open: 3×3 kernel, padding “same”",
  "open.even_same": "Open: 2×2 kernel, padding “same”",
  "figure.even-split.caption":
    "Padding “same” along one axis: the odd kernel's k − 1 padding cells split evenly; the even kernel's do not.",
  "figure.even-split.odd": "k = 3: pad 1 | 1",
  "figure.even-split.even": "k = 2: pad 0 | 1",
  "figure.even-split.anchor": "anchor",

  "lesson.stride.title": "Stride as down-sampling",
  "lesson.stride.summary": "Skipping positions makes the map smaller.",
  "lesson.stride.p1":
    "The stride is how far the kernel moves between two positions. With stride 1 it visits every position; with stride 2 it skips every other one in both directions, so the output has about half as many rows and half as many columns: a quarter of the values.",
  "lesson.stride.p2":
    "A strided convolution therefore computes and down-samples in one step. Many networks use it instead of a pooling layer to shrink their feature maps.",
  "lesson.stride.question":
    "A 6×6 input, a 3×3 kernel, padding 1 and stride 2: how big is the output? Count the positions the kernel visits along one row.",
  "open.stride": "Open: 6×6, 3×3 kernel, stride 2",

  "lesson.output-size.title": "The output-size formula and its floor",
  "lesson.output-size.summary": "⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1, and what the floor throws away.",
  "lesson.output-size.p1":
    "Along each axis the output has ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1 cells: n input cells, p padding on each side, a kernel of k taps spaced d apart (dilation), stride s.",
  "lesson.output-size.p2":
    "The fraction counts the steps the kernel can take after its first position; the +1 is that first position. When the steps do not come out even, the floor drops the remainder: the last rows or columns that a whole step cannot reach are simply never used.",
  "lesson.output-size.p3":
    "A 7×7 input with a 3×3 kernel and stride 2 gives ⌊4 / 2⌋ + 1 = 3. An 8×8 input gives ⌊5 / 2⌋ + 1 = 3 as well: its last row and column are ignored.",
  "lesson.output-size.question":
    "Which input cells of the 8×8 example never appear under the kernel? Step through the lab to find them.",
  "open.size_7": "Open: 7×7, stride 2",
  "open.size_8": "Open: 8×8, stride 2",
  "figure.size-formula.caption": "The formula with numbers: change n and watch the floor.",
  "figure.size-formula.n": "n (input size)",

  "lesson.multi-channel-filters.title": "Multi-channel filters",
  "lesson.multi-channel-filters.summary": "Kernel vs filter, and why output channels = filters.",
  "lesson.multi-channel-filters.p1":
    "A colour image has 3 channels, and a feature map in the middle of a network may have 64. A filter must read all of them, so it is a stack of kernels: one k×k kernel per input channel.",
  "lesson.multi-channel-filters.p2":
    "At each position a filter multiplies each channel by its own kernel, sums every product of every channel, and adds one bias: one number. So one filter makes one output channel, however many input channels there are.",
  "lesson.multi-channel-filters.p3":
    "A layer with F filters makes F output channels. Its weights are F × C × k × k, plus F biases: that is the parameter count PyTorch reports for Conv2d(C, F, k).",
  "lesson.multi-channel-filters.question":
    "The lab's input has 2 channels and there are 2 filters of 2×2. How many weights and biases does the layer have? How many output channels?",
  "open.multi": "Open: 2 channels in, 2 filters",

  "lesson.relu.title": "ReLU",
  "lesson.relu.summary": "Keep the positives, zero the negatives.",
  "lesson.relu.p1":
    "ReLU(x) = max(0, x): positive values pass unchanged, negative values become 0. Applied after a convolution, it keeps the places where a filter found its pattern and silences the places where it found the opposite.",
  "lesson.relu.p2":
    "Without a non-linearity between them, two convolutions would collapse into one bigger convolution. ReLU is the cheapest non-linearity that prevents that, and it keeps gradients alive for every positive value.",
  "lesson.relu.question":
    "The input rises from left to right. The vertical-edge kernel 1 0 −1 therefore gives negative numbers everywhere. What does ReLU leave? What if you flip the kernel?",
  "open.relu": "Open: edge filter followed by ReLU",

  "lesson.max-vs-mean-pooling.title": "Max vs mean pooling",
  "lesson.max-vs-mean-pooling.summary": "Summits and water levels: the “rising water around a mountain” picture.",
  "lesson.max-vs-mean-pooling.p1":
    "Pooling summarises each window of a feature map by one number, channel by channel, with no weights to learn. Max pooling keeps the largest value; mean (average) pooling keeps the average.",
  "lesson.max-vs-mean-pooling.p2":
    "Picture the numbers as the heights of a landscape, and let water rise around a mountain. Max pooling reports, for each window, the summit: the last point to go under water, however narrow the peak. Mean pooling reports the level the water would settle at if the window's rock were melted flat: one sharp peak is diluted by the valleys around it.",
  "lesson.max-vs-mean-pooling.p3":
    "So max pooling answers “is the pattern anywhere in this window?”, and mean pooling answers “how much of it is there on average?”.",
  "lesson.max-vs-mean-pooling.question":
    "The input has a tall peak of 9 and a lone spike of 7. Which pooling keeps the spike visible? By how much does mean pooling lower the 9?",
  "open.max_pool": "Open: max pooling 2×2",
  "open.avg_pool": "Open: mean pooling 2×2",
  "figure.rising-water.caption":
    "One row of heights (grey) in windows of 2. Red dashes: max pooling keeps each window's summit. Blue: mean pooling's water level.",
  "figure.rising-water.max": "max",
  "figure.rising-water.mean": "mean",

  "lesson.what-pooling-buys.title": "What pooling buys",
  "lesson.what-pooling-buys.summary": "Fewer values, a larger receptive field, some shift invariance.",
  "lesson.what-pooling-buys.p1":
    "Fewer values: a 2×2 pooling with stride 2 keeps one value in four, so every later layer computes four times less.",
  "lesson.what-pooling-buys.p2":
    "A larger receptive field: after the pool, neighbouring units are two input cells apart (the jump doubles), so each following 3×3 convolution sees twice as far. Two 3×3 convolutions see 5×5; add a 2×2 pool and a unit sees 6×6, and the next 3×3 convolution adds 4, not 2.",
  "lesson.what-pooling-buys.p3":
    "Some shift invariance: if a feature moves by one cell but stays inside the same window, the max does not change. Only some: a shift across a window boundary does change the output.",
  "lesson.what-pooling-buys.question":
    "Open both shifted inputs: the 9 moves from (0, 0) to (1, 1). Is the pooled output the same? Where could the 9 go so that it changes?",
  "open.shift_a": "Open: 9 at (0, 0)",
  "open.shift_b": "Open: 9 at (1, 1)",
  "open.vgg": "Open: receptive fields in a VGG block",

  "lesson.fc-as-convolution.title": "Fully connected layers as convolutions",
  "lesson.fc-as-convolution.summary": "A linear layer is a convolution whose kernel covers the whole map, and GAP replaces it.",
  "lesson.fc-as-convolution.p1":
    "A fully connected (linear) layer on a flattened C×h×w map gives each output its own weight for every input value. Reshape one output's weights to C×h×w and you have a filter as large as the map: the linear layer is an h×w convolution with no padding, producing a 1×1 output per filter. On a 1×1×C map it is a 1×1 convolution.",
  "lesson.fc-as-convolution.p2":
    "Those layers hold most of a classic network's parameters: a 32×8×8 map into 64 outputs alone needs 131,072 weights, far more than all the convolutions before it.",
  "lesson.fc-as-convolution.p3":
    "Global average pooling (GAP) replaces the flatten: it averages each channel's map to one number, leaving a 1×1×C vector, and the classifier on top becomes small. The network then also accepts any input size.",
  "lesson.fc-as-convolution.question":
    "Compare the parameter totals and shares of the two tiny CIFAR-10 networks. Then check, in the FC-as-convolution panel, that the linear layer's numbers equal the convolution's.",
  "open.tiny_cifar": "Open: tiny CIFAR-10 net (flatten + FC)",
  "open.gap": "Open: the same net with global average pooling",

  "lesson.transposed-convolution.title": "Transposed convolution",
  "lesson.transposed-convolution.summary": "Up-sampling: each input cell stamps the kernel onto the output.",
  "lesson.transposed-convolution.p1":
    "A transposed convolution makes a map bigger. Read it as a scatter: every input cell stamps a copy of the kernel, scaled by its value, onto the output, s cells further for each step in the input, and overlapping stamps add up. Its output size is (n − 1)·s − 2p + d(k − 1) + output_padding + 1.",
  "lesson.transposed-convolution.p2":
    "The same numbers come from an ordinary convolution: insert s − 1 zeros between the input cells, pad d(k − 1) − p around them, and slide the flipped kernel with stride 1. The lab shows both views side by side and checks that they agree.",
  "lesson.transposed-convolution.question":
    "With a 2×2 kernel and stride 2 the stamps do not overlap. What changes with a 3×3 kernel and stride 2?",
  "open.transpose": "Open: transposed convolution, both views",
});

addMessages("zh-CN", {
  "nav.skip": "跳到课程内容",
  "lessons.title": "课程",
  "lessons.intro": "简短的引导课程，每课讲一个概念。读几句话，想一想问题，再打开预先设置好的实验室，用真实的数字检验你的答案。",
  "lessons.all": "全部课程",
  "glossary.title": "术语表（English – 中文）",
  "glossary.link": "术语表",
  "glossary.stride": "卷积核在两个位置之间移动的距离；步幅为 2 时，输出的每一边约减半。",
  "glossary.padding": "在输入四周补上的格子（补零，或复制边缘），让卷积核也能落在边上。",
  "glossary.dilation": "卷积核各抽头之间的间隔：膨胀率为 2 的 3×3 卷积核覆盖 5×5 的范围，仍只有九个权重（空洞卷积）。",
  "glossary.receptive_field": "一个输出值所依赖的输入区域；每多一层，它就变大一些。",
  "glossary.transposed": "把每个输入值乘以卷积核后“盖印”到输出上的层：它让特征图变大（ConvTranspose2d）。",
  "lessons.trail": "当前位置",
  "lessons.pager": "上一课和下一课",
  "lessons.number": "第 {number} 课，共 {count} 课",
  "lessons.try": "试一试",
  "lessons.previous": "← 上一课：",
  "lessons.next": "下一课：",

  "lesson.correlation-vs-convolution.title": "互相关与卷积",
  "lesson.correlation-vs-convolution.summary": "为什么 PyTorch 的“卷积”不翻转卷积核。",
  "lesson.correlation-vs-convolution.p1":
    "卷积层让一个小卷积核在输入上滑动：在每个位置，把核下面的单元与核的权重逐一相乘，再把乘积相加。如果像这样直接计算、不把卷积核翻转，这种运算叫做互相关。",
  "lesson.correlation-vs-convolution.p2":
    "数学意义上的卷积要先把卷积核上下、左右各翻转一次。PyTorch 的 Conv2d 和所有深度学习框架一样省略了翻转：权重本来就是学出来的，网络只会学到翻转后的卷积核。",
  "lesson.correlation-vs-convolution.p3":
    "在只有一个 1 的输入（冲激）上，区别最明显：互相关会在 1 周围画出上下左右颠倒的卷积核，真正的卷积则画出原样的卷积核。",
  "lesson.correlation-vs-convolution.question": "卷积核是 1 2 3 / 4 5 6 / 7 8 9。打开实验室之前，先预测：翻转与不翻转时，9 分别出现在输出的哪个位置？",
  "open.correlation": "打开：互相关（PyTorch）",
  "open.convolution": "打开：真正的卷积（翻转）",

  "lesson.padding-and-odd-kernels.title": "填充、“same”尺寸与奇数卷积核",
  "lesson.padding-and-odd-kernels.summary": "保持尺寸不变，以及卷积核为什么是 3×3、5×5、7×7。",
  "lesson.padding-and-odd-kernels.p1":
    "不填充时，k×k 的卷积核在长度为 n 的轴上只能放 n − k + 1 个位置，所以每一层都会让特征图变小。填充就是在输入周围加一圈单元（通常是 0），让卷积核也能落在边界上。",
  "lesson.padding-and-odd-kernels.p2":
    "奇数卷积核有一个中心单元（锚点），两侧各有 (k − 1)/2 个单元。因此每边填充 (k − 1)/2 就能保持尺寸不变，这就是“same”填充：3×3 需要 1，5×5 需要 2。",
  "lesson.padding-and-odd-kernels.p3":
    "偶数卷积核没有中心。2×2 的卷积核总共需要 k − 1 = 1 个填充单元，无法平均分配：PyTorch 在上方/左侧填 0，在下方/右侧填 1，输出因此偏移半个单元。正是这种不对称，几乎所有网络都使用奇数卷积核。",
  "lesson.padding-and-odd-kernels.question": "使用“same”填充时，4×4 的卷积核上方填充几个单元？下方呢？",
  "open.odd_same": "打开：3×3 卷积核，“same”填充",
  "open.even_same": "打开：2×2 卷积核，“same”填充",
  "figure.even-split.caption": "沿一个轴的“same”填充：奇数卷积核的 k − 1 个填充单元平均分配，偶数卷积核则不能。",
  "figure.even-split.odd": "k = 3：填充 1 | 1",
  "figure.even-split.even": "k = 2：填充 0 | 1",
  "figure.even-split.anchor": "锚点",

  "lesson.stride.title": "步幅即下采样",
  "lesson.stride.summary": "跳过一些位置，特征图就变小了。",
  "lesson.stride.p1":
    "步幅是卷积核两次位置之间移动的距离。步幅为 1 时，它经过每一个位置；步幅为 2 时，两个方向上都隔一个跳一个，输出的行数和列数大约减半，数值只剩四分之一。",
  "lesson.stride.p2": "因此，带步幅的卷积一步完成计算和下采样。许多网络用它代替池化层来缩小特征图。",
  "lesson.stride.question": "6×6 的输入、3×3 的卷积核、填充 1、步幅 2：输出有多大？数一数卷积核在一行里经过几个位置。",
  "open.stride": "打开：6×6，3×3 卷积核，步幅 2",

  "lesson.output-size.title": "输出尺寸公式与向下取整",
  "lesson.output-size.summary": "⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1，以及取整舍去了什么。",
  "lesson.output-size.p1":
    "每个轴上的输出尺寸是 ⌊(n + 2p − d(k − 1) − 1) / s⌋ + 1：n 个输入单元，每边填充 p，卷积核有 k 个抽头、间隔为 d（膨胀），步幅为 s。",
  "lesson.output-size.p2":
    "分数部分计算卷积核在第一个位置之后还能走几步，+1 就是第一个位置本身。如果不能整除，向下取整会丢掉余数：一整步够不到的最后几行或几列根本不会被用到。",
  "lesson.output-size.p3":
    "7×7 的输入、3×3 的卷积核、步幅 2，得到 ⌊4 / 2⌋ + 1 = 3。8×8 的输入也得到 ⌊5 / 2⌋ + 1 = 3：它的最后一行和最后一列被忽略了。",
  "lesson.output-size.question": "在 8×8 的例子中，哪些输入单元从未出现在卷积核下面？在实验室里逐步查看，把它们找出来。",
  "open.size_7": "打开：7×7，步幅 2",
  "open.size_8": "打开：8×8，步幅 2",
  "figure.size-formula.caption": "代入数字的公式：改变 n，观察向下取整。",
  "figure.size-formula.n": "n（输入尺寸）",

  "lesson.multi-channel-filters.title": "多通道滤波器",
  "lesson.multi-channel-filters.summary": "卷积核与滤波器的区别，以及为什么输出通道数 = 滤波器数。",
  "lesson.multi-channel-filters.p1":
    "彩色图像有 3 个通道，网络中间的特征图可能有 64 个通道。一个滤波器必须读取所有通道，所以它是一叠卷积核：每个输入通道对应一个 k×k 卷积核。",
  "lesson.multi-channel-filters.p2":
    "在每个位置，滤波器用各自的卷积核乘以对应的通道，把所有通道的所有乘积相加，再加上一个偏置，得到一个数。所以无论有多少输入通道，一个滤波器只产生一个输出通道。",
  "lesson.multi-channel-filters.p3":
    "有 F 个滤波器的层产生 F 个输出通道。它的权重是 F × C × k × k 个，外加 F 个偏置：这正是 PyTorch 为 Conv2d(C, F, k) 报告的参数量。",
  "lesson.multi-channel-filters.question": "实验室的输入有 2 个通道，有 2 个 2×2 的滤波器。这一层有多少个权重和偏置？有几个输出通道？",
  "open.multi": "打开：2 个输入通道，2 个滤波器",

  "lesson.relu.title": "ReLU 激活函数",
  "lesson.relu.summary": "保留正数，负数归零。",
  "lesson.relu.p1":
    "ReLU(x) = max(0, x)：正数原样通过，负数变为 0。放在卷积之后，它保留滤波器找到目标模式的位置，抑制找到相反模式的位置。",
  "lesson.relu.p2": "如果两层卷积之间没有非线性，它们会合并成一个更大的卷积。ReLU 是能防止这一点的最简单的非线性，而且对每个正数都保持梯度。",
  "lesson.relu.question": "输入从左到右逐渐增大，所以竖直边缘卷积核 1 0 −1 处处得到负数。ReLU 之后还剩下什么？如果把卷积核翻转呢？",
  "open.relu": "打开：边缘滤波器加 ReLU",

  "lesson.max-vs-mean-pooling.title": "最大池化与平均池化",
  "lesson.max-vs-mean-pooling.summary": "山峰与水位：“山周围水位上涨”的图景。",
  "lesson.max-vs-mean-pooling.p1": "池化用一个数概括特征图的每个窗口，逐通道进行，没有需要学习的权重。最大池化保留最大值，平均池化保留平均值。",
  "lesson.max-vs-mean-pooling.p2":
    "把这些数想象成地形的高度，让水在一座山周围上涨。最大池化报告每个窗口的山顶：最后一个被淹没的点，不管山峰多么尖细。平均池化报告的是：如果把窗口里的岩石熔化摊平，水会停在什么高度——一个尖峰会被周围的山谷冲淡。",
  "lesson.max-vs-mean-pooling.p3": "所以最大池化回答“这个窗口里有没有这种模式？”，平均池化回答“平均有多少？”。",
  "lesson.max-vs-mean-pooling.question": "输入有一座高 9 的山峰和一个孤立的尖峰 7。哪种池化让尖峰仍然可见？平均池化把 9 降低了多少？",
  "open.max_pool": "打开：2×2 最大池化",
  "open.avg_pool": "打开：2×2 平均池化",
  "figure.rising-water.caption": "一行高度（灰色），每 2 个一个窗口。红色虚线：最大池化保留每个窗口的山顶。蓝色：平均池化的水位。",
  "figure.rising-water.max": "最大",
  "figure.rising-water.mean": "平均",

  "lesson.what-pooling-buys.title": "池化带来了什么",
  "lesson.what-pooling-buys.summary": "更少的数值、更大的感受野、一定的平移不变性。",
  "lesson.what-pooling-buys.p1": "更少的数值：步幅为 2 的 2×2 池化四个值只保留一个，之后的每一层计算量都减少为四分之一。",
  "lesson.what-pooling-buys.p2":
    "更大的感受野：池化之后，相邻单元在输入上相隔两个单元（跳距加倍），所以后面每个 3×3 卷积看得远一倍。两个 3×3 卷积看到 5×5；加上 2×2 池化，一个单元看到 6×6，下一个 3×3 卷积增加 4 而不是 2。",
  "lesson.what-pooling-buys.p3":
    "一定的平移不变性：如果一个特征移动了一个单元，但仍在同一个窗口内，最大值不会改变。只是一定程度：跨越窗口边界的移动会改变输出。",
  "lesson.what-pooling-buys.question": "打开两个平移后的输入：9 从 (0, 0) 移到 (1, 1)。池化输出相同吗？9 移到哪里输出才会改变？",
  "open.shift_a": "打开：9 在 (0, 0)",
  "open.shift_b": "打开：9 在 (1, 1)",
  "open.vgg": "打开：VGG 块中的感受野",

  "lesson.fc-as-convolution.title": "全连接层即卷积",
  "lesson.fc-as-convolution.summary": "全连接层是卷积核覆盖整张特征图的卷积，全局平均池化可以取代它。",
  "lesson.fc-as-convolution.p1":
    "在展平的 C×h×w 特征图上，全连接（线性）层为每个输出的每个输入值各设一个权重。把一个输出的权重重排成 C×h×w，就得到一个和特征图一样大的滤波器：全连接层就是不加填充的 h×w 卷积，每个滤波器输出 1×1。在 1×1×C 的特征图上，它就是 1×1 卷积。",
  "lesson.fc-as-convolution.p2": "这些层占了经典网络的大部分参数：仅把 32×8×8 的特征图连到 64 个输出就需要 131,072 个权重，远多于前面所有卷积层的总和。",
  "lesson.fc-as-convolution.p3":
    "全局平均池化（GAP）取代展平：它把每个通道的特征图平均成一个数，得到 1×1×C 的向量，上面的分类器因此变得很小。网络也因此能接受任意尺寸的输入。",
  "lesson.fc-as-convolution.question": "比较两个小型 CIFAR-10 网络的参数总数和占比。然后在“全连接即卷积”面板中检查全连接层的数值是否等于卷积的数值。",
  "open.tiny_cifar": "打开：小型 CIFAR-10 网络（展平 + 全连接）",
  "open.gap": "打开：使用全局平均池化的同一网络",

  "lesson.transposed-convolution.title": "转置卷积",
  "lesson.transposed-convolution.summary": "上采样：每个输入单元把卷积核印到输出上。",
  "lesson.transposed-convolution.p1":
    "转置卷积让特征图变大。可以把它看作“散射”：每个输入单元把按自身数值缩放的卷积核印到输出上，输入每走一步，印章就移动 s 个单元，重叠的部分相加。输出尺寸是 (n − 1)·s − 2p + d(k − 1) + output_padding + 1。",
  "lesson.transposed-convolution.p2":
    "同样的数值也可以由普通卷积得到：在输入单元之间插入 s − 1 个零，四周填充 d(k − 1) − p，再用翻转后的卷积核以步幅 1 滑动。实验室把两种视角并排展示，并检查它们是否一致。",
  "lesson.transposed-convolution.question": "2×2 卷积核、步幅 2 时，印章互不重叠。换成 3×3 卷积核、步幅 2 时会有什么变化？",
  "open.transpose": "打开：转置卷积的两种视角",
});

// The backward pass (issue 14): gradients as convolutions, stride's holes, max-pool routing, a kernel that learns.
addMessages("en", {
  "lesson.backward-pass.title": "The backward pass",
  "lesson.backward-pass.summary": "Gradients of convolution and pooling are convolutions and routings; a kernel learns.",
  "lesson.backward-pass.p1":
    "Backpropagation asks how much the loss changes when one input cell changes. That cell sat under every window that covered it, each time multiplied by one weight, so its gradient is the sum of output gradient × that weight over those windows. Written as one operation it is the output gradient, padded by d(k − 1), correlated with the flipped kernel: a transposed convolution. The Backward lab shows it as scatter (each output gradient stamps the kernel) and as gather, side by side.",
  "lesson.backward-pass.p2":
    "With stride s the forward pass skipped positions, so the gather view inserts s − 1 zeros between the output gradient's cells: stride leaves holes. Input cells that no tap reached (the last rows and columns when the stride does not fit) get a gradient of exactly 0.",
  "lesson.backward-pass.p3":
    "Max pooling passes on only its winner, so the gradient goes only there: each output gradient is routed entirely to its window's maximum (on ties the first in row-major order, as PyTorch). The other cells learn nothing from that window. Average pooling spreads gradient ÷ divisor over the window's cells instead.",
  "lesson.backward-pass.p4":
    "A weight's gradient is the sum, over all output cells, of the input value its tap touched × the output gradient there: the input correlated with the output gradient. Move the kernel a little against it, again and again, and it learns — in Learn a kernel, gradient descent recovers a Sobel kernel from nothing but its output.",
  "lesson.backward-pass.question":
    "A 3×3 kernel with stride 2 on a 6×6 input: which input cells get no gradient, and why? Check it in the second lab.",
  "open.bw_transposed": "Open: the input gradient, scatter and gather",
  "open.bw_stride": "Open: stride 2 leaves holes",
  "open.bw_max_pool": "Open: max pooling routes the gradient",
  "open.bw_learn": "Open: learn a kernel",
});

addMessages("zh-CN", {
  "lesson.backward-pass.title": "反向传播",
  "lesson.backward-pass.summary": "卷积与池化的梯度就是卷积和路由；卷积核可以学习。",
  "lesson.backward-pass.p1":
    "反向传播要问：某个输入单元变化时，损失变化多少？这个单元出现在覆盖它的每个窗口里，每次乘以一个权重，所以它的梯度就是这些窗口上“输出梯度 × 对应权重”之和。写成一个运算：把输出梯度填充 d(k − 1)，再与翻转后的卷积核做互相关——这正是转置卷积。反向传播实验室把散射（每个输出梯度印出卷积核）和聚集两种视角并排展示。",
  "lesson.backward-pass.p2":
    "步幅为 s 时，前向传播跳过了一些位置，所以聚集视角要在输出梯度的单元之间插入 s − 1 个零：步幅留下了空洞。没有任何抽头接触到的输入单元（步幅除不尽时的最后几行几列）梯度恰好为 0。",
  "lesson.backward-pass.p3":
    "最大池化只把胜出者传下去，所以梯度也只回到那里：每个输出梯度全部交给窗口中的最大值（并列时取按行优先的第一个，与 PyTorch 一致）。窗口里的其他单元从这个窗口得不到任何梯度。平均池化则把“梯度 ÷ 除数”平均分给窗口中的单元。",
  "lesson.backward-pass.p4":
    "一个权重的梯度，是所有输出单元上“它的抽头接触到的输入值 × 那里的输出梯度”之和：输入与输出梯度的互相关。让卷积核沿着梯度的反方向一小步一小步地移动，它就学会了——在“学习一个卷积核”中，梯度下降仅凭输出就能重新找回 Sobel 卷积核。",
  "lesson.backward-pass.question": "在 6×6 输入上使用 3×3 卷积核、步幅 2：哪些输入单元得不到梯度？为什么？在第二个实验中验证一下。",
  "open.bw_transposed": "打开：输入梯度的散射与聚集",
  "open.bw_stride": "打开：步幅 2 留下空洞",
  "open.bw_max_pool": "打开：最大池化的梯度路由",
  "open.bw_learn": "打开：学习一个卷积核",
});
