"""The demo house registry's cast: sizes, managers, the demo neighbours, unlinked registry people, name tables."""

import logging
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from ag_app.domain.identity import snils_checksum

log = logging.getLogger(__name__)

DEMO_REF = "DEMO-"
# How many houses the demo registry has besides the three of the demo residents.
OTHER_HOUSES = 27
# Apartments of the other houses (from a small block to a 500-apartment tower).
SIZES = (500, 320, 24, 36, 48, 60, 72, 80, 96, 108, 120, 144, 150, 160, 180, 200, 240, 20, 64, 90, 132, 168)
# The demo residents' own houses: at least as many apartments as their apartment number needs.
DEMO_HOUSE_SIZES = (60, 120, 220)
MANAGER = "Департамент городского имущества города Москвы"
COMPANIES = (
    "ООО «Продукты у дома»",
    "ООО «Аптека Здоровье»",
    "ИП Миронов А. В. (парикмахерская)",
    "ООО «Химчистка Снежинка»",
    "АО «Банк Столица»",
    "ООО «Цветочная лавка»",
)


@dataclass(frozen=True)
class DemoNeighbour:
    """A demo account (level 3) holding an apartment in the house of the first demo resident."""

    phone: str
    last_name: str
    first_name: str
    patronymic: str
    gender: str
    birth_date: date
    passport: tuple[str, str]
    snils_base: str
    apartment: str
    share: Fraction
    who: str

    @property
    def snils(self) -> str:
        """The SNILS with its control number."""
        return f"{self.snils_base}{snils_checksum(self.snils_base):02d}"


NEIGHBOURS: tuple[DemoNeighbour, ...] = (
    DemoNeighbour(
        "+79161234570",
        "Петрова",
        "Елена",
        "Викторовна",
        "female",
        date(1986, 6, 21),
        ("4510", "202122"),
        "987654321",
        "12",
        Fraction(1, 2),
        "Соседка по дому (Арбат): совладелица кв. 12 (1/2) вместе с +79161234567",
    ),
    DemoNeighbour(
        "+79161234571",
        "Григорьев",
        "Максим",
        "Олегович",
        "male",
        date(1972, 10, 3),
        ("4504", "303132"),
        "876543219",
        "7",
        Fraction(1),
        "Сосед по дому (Арбат): собственник кв. 7",
    ),
    DemoNeighbour(
        "+79161234572",
        "Яковлева",
        "Ирина",
        "Павловна",
        "female",
        date(1995, 2, 14),
        ("4516", "404142"),
        "765432198",
        "15",
        Fraction(1, 3),
        "Соседка по дому (Арбат): собственница 1/3 кв. 15",
    ),
)
# The demo residents' apartments: share of the resident (the rest belongs to a family member).
DEMO_SHARES = {"+79161234567": Fraction(1, 2), "+79161234568": Fraction(1), "+79161234569": Fraction(2, 3)}
# People of the citizen registry without an account yet.
# (last name, house index, apartment, role, ФЛС); the ФЛС are fixed so that the README can name them.
UNLINKED = (
    ("Васильев", 0, "20", "owner", "7701002020"),
    ("Новикова", 2, "33", "social_tenant", "7703003333"),
)

_MALE_LAST = (
    "Иванов", "Смирнов", "Кузьмин", "Попов", "Лебедев", "Козлов", "Новиков", "Морозов", "Соловьёв",
    "Волков", "Алексеев", "Павлов", "Семёнов", "Голубев", "Виноградов", "Богданов", "Воробьёв",
    "Фёдоров", "Михайлов", "Беляев", "Тарасов", "Белов", "Комаров", "Орлов", "Киселёв", "Макаров",
    "Андреев", "Ковалёв", "Ильин", "Гусев", "Титов", "Кудрявцев", "Баранов", "Куликов", "Алексин",
    "Степанов", "Никитин", "Соболев", "Медведев", "Ершов",
)  # fmt: skip
_MALE_FIRST = (
    "Александр", "Алексей", "Андрей", "Артём", "Дмитрий", "Сергей", "Иван", "Михаил", "Максим",
    "Никита", "Владимир", "Евгений", "Игорь", "Павел", "Роман", "Денис", "Кирилл", "Николай", "Олег",
    "Юрий",
)  # fmt: skip
_FEMALE_FIRST = (
    "Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Екатерина", "Светлана",
    "Юлия", "Анастасия", "Дарья", "Марина", "Виктория", "Ксения", "Полина", "Алина", "Людмила",
    "Галина", "Вера",
)  # fmt: skip
_PATRONYMIC = (
    ("Александрович", "Александровна"), ("Сергеевич", "Сергеевна"), ("Иванович", "Ивановна"),
    ("Михайлович", "Михайловна"), ("Андреевич", "Андреевна"), ("Дмитриевич", "Дмитриевна"),
    ("Николаевич", "Николаевна"), ("Владимирович", "Владимировна"), ("Петрович", "Петровна"),
    ("Юрьевич", "Юрьевна"), ("Олегович", "Олеговна"), ("Викторович", "Викторовна"),
)  # fmt: skip
