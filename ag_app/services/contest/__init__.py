"""The receipt contest «Любимый город» (SPEC §11): one module per use case."""
