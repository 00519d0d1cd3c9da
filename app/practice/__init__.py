"""Practice: generated exercises with engine-checked answers, assignments and completion codes.

Engine side only (no web imports): every exercise carries the exact layer request it is about,
and its expected answer is what `app.core` computes for that layer.
"""
