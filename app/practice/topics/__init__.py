"""One module per kind of exercise; each exposes TOPIC, LEVELS and generate(rng, level, seed)."""
