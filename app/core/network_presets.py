"""Classic stacks to start from, each with the input it is meant for.

`compute` says whether the numbers fit this server's limits; AlexNet's first layer
(96 filters of 11×11×3 over 227×227) does not, so it is shown as shapes only.
"""

from dataclasses import dataclass

from .network import Layer


@dataclass(frozen=True)
class Preset:
    name: str
    input_shape: tuple[int, int, int]
    layers: tuple[Layer, ...]
    compute: bool


def _conv(out: int, k: int, stride: int = 1, padding: int = 0) -> Layer:
    return Layer("conv", out_channels=out, kernel_size=k, stride=stride, padding=padding)


def _pool(k: int, stride: int | None = None) -> Layer:
    return Layer("max_pool", kernel_size=k, stride=stride)


RELU = Layer("relu")
_TINY_FEATURES = (_conv(16, 3, padding=1), RELU, _pool(2), _conv(32, 3, padding=1), RELU, _pool(2))

PRESETS = {
    preset.name: preset
    for preset in (
        # VGG's building block: two 3×3 convolutions (same size) and a 2×2 max pool that halves it.
        Preset(
            "vgg_block", (3, 32, 32), (_conv(64, 3, padding=1), RELU, _conv(64, 3, padding=1), RELU, _pool(2)), True
        ),
        # AlexNet's first layer (Krizhevsky et al., 2012): 96 filters of 11×11, stride 4, then 3×3/2 max pool.
        Preset("alexnet_first", (3, 227, 227), (_conv(96, 11, stride=4), RELU, _pool(3, 2)), False),
        # A CIFAR-10-sized classifier whose fully connected layers hold almost all the parameters...
        Preset(
            "tiny_cifar",
            (3, 32, 32),
            (
                *_TINY_FEATURES,
                Layer("flatten"),
                Layer("linear", out_features=64),
                RELU,
                Layer("linear", out_features=10),
            ),
            True,
        ),
        # ...and the same features with global average pooling in their place.
        Preset(
            "tiny_cifar_gap",
            (3, 32, 32),
            (*_TINY_FEATURES, Layer("global_avg_pool"), Layer("flatten"), Layer("linear", out_features=10)),
            True,
        ),
    )
}
