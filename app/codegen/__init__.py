"""Source code that reproduces ConvScope's numbers elsewhere (PyTorch), generated from engine results."""
