"""«Активный гражданин» — open civic participation platform."""
