"""Demo recipes (read with importlib.resources)."""
