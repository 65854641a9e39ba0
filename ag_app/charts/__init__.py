"""Pure Plotly figure builders: DTOs in, ``plotly.graph_objects.Figure`` out (no Reflex, no I/O)."""
