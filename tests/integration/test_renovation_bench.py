"""The house-vote bench runs end to end on a small house set and agrees with the in-memory tally."""

from ag_app.bench.renovation import run


def test_bench_tallies_every_house_and_reports_the_figures():
    data = run(houses=30, apartments=12)

    assert (data["name"], data["n"], data["db"], data["apartments_per_house"]) == (
        "renovation",
        30,
        "sqlite",
        12,
    )
    assert data["ops_per_s"] > 0 and data["floor_ops_per_s"] > 0
    assert abs(data["ratio"] - data["ops_per_s"] / data["floor_ops_per_s"]) < 0.01
    assert 0 < data["included"] < 30
    assert data["ballots"] > 30 * 12 * 0.4
