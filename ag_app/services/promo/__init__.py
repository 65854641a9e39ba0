"""The promo campaign «#ВыбираемВместе» (SPEC §10): one module per use case."""
