"""The numeric engine: PyTorch's convolution and pooling semantics in numpy.

Nothing here knows about HTTP; the web layer (`app.api`) and the renderers call in.
"""
