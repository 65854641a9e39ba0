"""The award contest «Лидеры цифровой трансформации» (SPEC §12, seed 004): one use case per module."""
