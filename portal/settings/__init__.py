"""Settings packages: base (shared, from the environment), dev, test, prod."""
