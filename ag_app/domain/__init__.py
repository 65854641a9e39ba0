"""Pure rules of the platform: no I/O, no clock, no randomness (time and RNG are parameters)."""
