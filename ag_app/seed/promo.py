"""The shipped demo campaign: a replica of «#ВыбираемВместе2024-Москва» with its dates shifted.

Every instant keeps its distance from the last voting day of 2024 (8 September), so the phases,
the «до 23:59» / «до 22:59» / «до 20:00» deadlines and the 10:00 draws read exactly as in the order.
"""

from datetime import UTC, date, datetime, time, timedelta

from ag_app.domain.clock import MOSCOW
from ag_app.domain.promo import Schedule, moscow_until
from ag_app.services.promo.campaigns import CampaignConfig

SUMMARY = (
    "Комплекс мероприятий «#ВыбираемВместе» в рамках программы «Миллион призов»: жители Москвы, "
    "проголосовавшие электронно (онлайн или на терминале), участвуют в ежедневных розыгрышах призов "
    "1 000, 3 000 и 5 000 призовых баллов (1 балл = 1 ₽) и обменивают их на поощрения партнёров. "
    "Впервые проголосовавшие онлайн и жители старше 60 лет, не выигравшие в розыгрыше, получают "
    "1 000 баллов. Участие бесплатное и добровольное; отказаться можно на этой странице."
)
PRIZE_RULES = (
    "Призовые баллы начисляются после активации выигрышного кода и обмениваются на поощрения "
    "партнёров программы в каталоге акции до окончания срока обмена; поощрения используются до "
    "окончания срока использования. Денежный эквивалент не выдаётся. Обмен доступен владельцам "
    "полной учётной записи. Скидка розыгрыша в категории применяется один раз к промокоду этой категории."
)


def _at(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm), tzinfo=MOSCOW).astimezone(UTC)


def vmeste_schedule(last_day: date) -> Schedule:
    """The 2024 schedule with 8 September 2024 moved to ``last_day`` (three daily windows)."""

    def d(days: int) -> date:
        return last_day + timedelta(days=days)

    return Schedule(
        info_starts_at=_at(d(-39), 0),
        info_ends_at=moscow_until(d(-10), 23, 59),
        eligibility_at=moscow_until(d(-14), 23, 59),
        opt_out_ends_at=moscow_until(d(-3), 23, 59),
        opt_in_ends_at=moscow_until(d(-3), 22, 59),
        window_ends=tuple(moscow_until(d(k), 20, 0) for k in (-2, -1, 0)),
        draws_due=tuple(_at(d(k), 10) for k in (-1, 0, 1)),
        category_opens_at=_at(d(-19), 8),
        category_ends_at=moscow_until(d(0), 19, 59),
        activation_ends_at=moscow_until(d(22), 23, 59),
        exchange_starts_at=_at(d(-1), 10),
        exchange_ends_at=moscow_until(d(97), 23, 59),
        use_ends_at=moscow_until(d(98), 23, 59),
    )


def vmeste_config(
    last_day: date,
    *,
    slug: str = "vmeste",
    window_prizes: tuple[str, ...] = ("5000x2,3000x3,1000x5",) * 3,
    category_winners: int = 1,
    vote_source: str = "import",
    vote_poll_id: int | None = None,
) -> CampaignConfig:
    """The replica's configuration around ``last_day``."""
    return CampaignConfig(
        slug=slug,
        title=f"#ВыбираемВместе{last_day.year}",
        summary=SUMMARY,
        prize_rules=PRIZE_RULES,
        schedule=vmeste_schedule(last_day),
        window_prizes=window_prizes,
        category_winners=category_winners,
        vote_source=vote_source,
        vote_poll_id=vote_poll_id,
    )
