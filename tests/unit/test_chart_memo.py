"""Figures built once per distinct data: equal arguments reuse the figure, new data builds anew."""

from dataclasses import dataclass

from ag_app.charts.memo import remembered


@dataclass(frozen=True)
class View:
    poll_id: int
    counts: list[int]


def test_equal_data_reuses_the_figure_and_other_data_builds_a_new_one():
    built = []

    @remembered(maxsize=2)
    def figure(view: View, question: int = 0) -> dict:
        built.append((view.poll_id, question))
        return {"poll": view.poll_id, "counts": list(view.counts), "question": question}

    first = figure(View(1, [5, 7]))
    assert figure(View(1, [5, 7])) is first
    assert figure(View(1, [5, 8])) is not first  # a new ballot changes the data: a new figure
    assert figure(View(1, [5, 7]), question=2)["question"] == 2
    assert built == [(1, 0), (1, 0), (1, 2)]
    figure(View(1, [5, 7]))  # evicted by the two newer ones (maxsize 2): built again
    assert built[-1] == (1, 0) and len(built) == 4
