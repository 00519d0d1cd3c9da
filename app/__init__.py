"""ConvScope: see, step by step, how a convolutional layer computes its numbers."""

__version__ = "0.1.0"
