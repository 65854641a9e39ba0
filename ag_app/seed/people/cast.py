"""The demo cast: logins shown by ``ag-app banner``, staff accounts, named residents, name and phone tables."""

from dataclasses import dataclass

from ag_app.seed.geo import DATA_DIR

NUMBERING_CSV = DATA_DIR / "numbering_sample.csv"
CITIZENS_CSV = DATA_DIR / "citizens_demo.csv"


@dataclass(frozen=True)
class DemoLogin:
    """A fixed demo account: log in with this phone and the SMS code from the outbox page."""

    phone: str
    # «staff», «moderator», «admin» or «resident».
    role: str
    who: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("+79990000001", "staff", "Сотрудник города: создаёт голосования, публикует итоги и решения"),
    DemoLogin("+79990000002", "moderator", "Модератор"),
    DemoLogin("+79990000003", "admin", "Администратор (все служебные права)"),
    DemoLogin(
        "+79161234567", "resident", "Житель района Арбат (ЦАО), полная идентификация, «Активный гражданин»"
    ),
    DemoLogin("+79161234568", "resident", "Жительница района Раменки (ЗАО), полная идентификация"),
    DemoLogin("+79161234569", "resident", "Житель района Отрадное (СВАО), полная идентификация"),
)

# Staff accounts: phone, roles, last/first/patronymic, gender.
_STAFF: tuple[tuple[str, tuple[str, ...], str, str, str, str], ...] = (
    ("+79990000001", ("staff",), "Морозова", "Светлана", "Игоревна", "female"),
    ("+79990000002", ("moderator",), "Лебедев", "Андрей", "Сергеевич", "male"),
    ("+79990000003", ("admin",), "Волков", "Павел", "Александрович", "male"),
)


@dataclass(frozen=True)
class DemoResident:
    """A named demo resident; name, birth date and documents come from ``citizens_demo.csv`` by SNILS."""

    phone: str
    snils: str
    gender: str
    district: str
    apartment: str
    marital_status: str
    children: tuple[int, ...]
    email: str
    work_district: str = ""
    # Ballot/visit propensity: the first demo resident is an eager one and holds the status.
    activity: float = 1.0
    visits: int = 40


DEMO_RESIDENTS: tuple[DemoResident, ...] = (
    DemoResident(
        "+79161234567",
        "11223344595",
        "male",
        "Арбат",
        "12",
        "married",
        (2012, 2016),
        "petrov.demo@example.com",
        work_district="Тверской",
        activity=50.0,
        visits=260,
    ),
    DemoResident(
        "+79161234568",
        "12345678964",
        "female",
        "Раменки",
        "45",
        "single",
        (),
        "sokolova.demo@example.com",
        visits=30,
    ),
    DemoResident(
        "+79161234569",
        "34567891226",
        "male",
        "Отрадное",
        "108",
        "married",
        (2003,),
        "kuznetsov.demo@example.com",
        visits=12,
    ),
)

_MALE_NAMES = (
    "Александр",
    "Алексей",
    "Андрей",
    "Артём",
    "Дмитрий",
    "Сергей",
    "Иван",
    "Михаил",
    "Максим",
    "Никита",
    "Владимир",
    "Евгений",
    "Игорь",
    "Павел",
    "Роман",
    "Денис",
    "Кирилл",
    "Николай",
    "Олег",
    "Илья",
    "Антон",
    "Виктор",
    "Константин",
    "Егор",
    "Юрий",
    "Григорий",
    "Тимур",
    "Вадим",
    "Георгий",
    "Даниил",
    "Матвей",
    "Степан",
    "Фёдор",
    "Борис",
    "Анатолий",
    "Валерий",
    "Виталий",
    "Геннадий",
    "Вячеслав",
    "Станислав",
)
_FEMALE_NAMES = (
    "Анна",
    "Мария",
    "Елена",
    "Ольга",
    "Наталья",
    "Екатерина",
    "Татьяна",
    "Ирина",
    "Светлана",
    "Юлия",
    "Анастасия",
    "Дарья",
    "Полина",
    "Ксения",
    "Алина",
    "Виктория",
    "Марина",
    "Людмила",
    "Галина",
    "Надежда",
    "Валентина",
    "Вера",
    "Любовь",
    "Софья",
    "Александра",
    "Елизавета",
    "Алёна",
    "Кристина",
    "Евгения",
    "Вероника",
    "Оксана",
    "Яна",
    "Лариса",
    "Нина",
    "Тамара",
    "Маргарита",
    "Варвара",
    "Алиса",
    "Диана",
)
# Patronymics (male form, female form).
_PATRONYMICS = (
    ("Александрович", "Александровна"),
    ("Алексеевич", "Алексеевна"),
    ("Андреевич", "Андреевна"),
    ("Дмитриевич", "Дмитриевна"),
    ("Сергеевич", "Сергеевна"),
    ("Владимирович", "Владимировна"),
    ("Николаевич", "Николаевна"),
    ("Иванович", "Ивановна"),
    ("Михайлович", "Михайловна"),
    ("Евгеньевич", "Евгеньевна"),
    ("Игоревич", "Игоревна"),
    ("Викторович", "Викторовна"),
    ("Юрьевич", "Юрьевна"),
    ("Олегович", "Олеговна"),
    ("Павлович", "Павловна"),
    ("Петрович", "Петровна"),
    ("Анатольевич", "Анатольевна"),
    ("Васильевич", "Васильевна"),
    ("Геннадьевич", "Геннадьевна"),
    ("Валерьевич", "Валерьевна"),
    ("Константинович", "Константиновна"),
    ("Максимович", "Максимовна"),
    ("Романович", "Романовна"),
    ("Борисович", "Борисовна"),
    ("Григорьевич", "Григорьевна"),
    ("Вячеславович", "Вячеславовна"),
    ("Витальевич", "Витальевна"),
    ("Станиславович", "Станиславовна"),
)
# Age bands of residents and their shares (most users are 25–60).
_AGE_BANDS = ((18, 24, 12), (25, 34, 30), (35, 44, 27), (45, 60, 21), (61, 85, 10))
# DEF codes of generated phones and their weights: Moscow ranges and other regions of the sample plan.
_MOSCOW_CODES = ((916, 30), (925, 20), (926, 20), (985, 15), (977, 15))
_OTHER_CODES = ((912, 1), (914, 1), (917, 1), (918, 1), (921, 1))
_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "e",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
        ],
        strict=True,
    )
)
