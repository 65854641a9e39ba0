"""Benchmarks behind ``ag-app bench …``: generate data, run an operation, print JSON figures.

Each bench measures against a floor run in the same process on the same data and prints, as the
last line of standard output, one JSON object (see DESIGN.md §5).
"""
