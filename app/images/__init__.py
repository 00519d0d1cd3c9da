"""Images as convolution inputs: safe decoding, sample pictures and colour maps. No web framework here."""
