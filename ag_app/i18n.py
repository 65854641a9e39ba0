"""The catalogue of Russian UI messages used by errors and notifications.

Every :class:`ag_app.domain.errors.DomainError` names a key of :data:`MESSAGES`; a unit test checks
that every key used in the code exists here.
"""

MESSAGES: dict[str, str] = {
    # Auth and phone
    "phone.invalid": "Введите российский мобильный номер в формате +7 9XX XXX-XX-XX.",
    "otp.rate_limited": "Слишком много кодов за час. Новый код можно запросить после {at}.",
    "otp.invalid": "Неверный код из СМС. Осталось попыток: {left}.",
    "otp.expired": "Срок действия кода истёк. Запросите новый код.",
    "otp.attempts_exhausted": "Превышено число попыток ввода кода. Запросите новый код.",
    "otp.not_requested": "Сначала запросите код из СМС.",
    "otp.format": "Код из СМС состоит из 6 цифр.",
    "terms.required": "Для регистрации нужно принять условия оферты.",
    "auth.required": "Войдите в систему, чтобы продолжить.",
    "auth.deactivated": "Профиль деактивирован.",
    "auth.forbidden": "Недостаточно прав для этого действия.",
    # Profile
    "profile.name_required": "Укажите фамилию и имя.",
    "profile.name_invalid": "Поле «{field}» может содержать только буквы, пробел и дефис.",
    "profile.birth_date_invalid": "Укажите корректную дату рождения.",
    "profile.gender_invalid": "Выберите пол.",
    "profile.marital_invalid": "Выберите семейное положение.",
    "profile.child_year_invalid": "Год рождения ребёнка должен быть между {low} и {high}.",
    "profile.email_invalid": "Введите корректный адрес электронной почты.",
    "profile.email_token_invalid": "Ссылка подтверждения недействительна или устарела.",
    "profile.field_too_long": "Поле «{field}» слишком длинное (не больше {limit} символов).",
    "address.too_soon": "Адрес можно менять не чаще раза в 3 месяца. Следующее изменение возможно с {date}.",
    "address.house_unknown": "Дом не найден в адресном реестре.",
    "address.kind_invalid": "Неизвестный тип адреса.",
    "address.apartment_required": "Для адреса собственности укажите номер квартиры.",
    "identity.snils_invalid": "СНИЛС указан неверно: проверьте 11 цифр и контрольное число.",
    "identity.passport_invalid": "Паспорт: серия — 4 цифры, номер — 6 цифр.",
    "identity.no_match": "Данные не совпадают с реестром граждан. Проверьте ФИО, дату рождения, паспорт и СНИЛС.",
    "identity.profile_incomplete": "Для полной идентификации заполните ФИО и дату рождения.",
    "identity.already": "Учётная запись уже полностью идентифицирована.",
    # Polls
    "poll.not_found": "Голосование не найдено.",
    "poll.not_started": "Голосование ещё не началось: оно откроется {at}.",
    "poll.finished": "Голосование завершено {at}.",
    "poll.not_published": "Голосование ещё не опубликовано.",
    "poll.level_required": "Для участия нужен уровень идентификации не ниже {level} («{name}»).",
    "poll.territory_mismatch": "Голосование проводится только для жителей: {territory}. Ваши адреса к ним не относятся.",
    "poll.no_address": "Голосование территориальное: укажите адрес регистрации или проживания в профиле.",
    "poll.children_required": "Голосование для родителей детей в возрасте {low}–{high} лет.",
    "poll.already_voted": "Вы уже проголосовали в этом опросе. Повторное голосование невозможно.",
    "poll.answer_required": "Ответьте на вопрос {number}: «{text}».",
    "poll.too_many_choices": "В вопросе {number} можно выбрать не больше {limit} вариантов.",
    "poll.single_choice": "В вопросе {number} можно выбрать только один вариант.",
    "poll.option_foreign": "Выбран вариант, которого нет в вопросе {number}.",
    "poll.question_foreign": "Ответ на вопрос, которого нет в этом голосовании.",
    "poll.own_text_required": "Впишите свой вариант ответа в вопросе {number}.",
    "poll.own_text_not_allowed": "В вопросе {number} нельзя вписать свой вариант.",
    "poll.own_text_too_long": "Свой вариант в вопросе {number} длиннее {limit} символов.",
    "poll.exclusive_option": "Вариант «{text}» в вопросе {number} нельзя сочетать с другими.",
    "poll.title_required": "Укажите название голосования.",
    "poll.field_too_long": "Поле «{field}» слишком длинное (не больше {limit} символов).",
    "poll.dates_order": "Дата окончания должна быть позже даты начала.",
    "poll.questions_required": "Добавьте хотя бы один вопрос.",
    "poll.question_text_required": "Укажите текст вопроса {number}.",
    "poll.options_required": "В вопросе {number} нужно не меньше двух вариантов ответа.",
    "poll.option_text_required": "Укажите текст каждого варианта в вопросе {number}.",
    "poll.max_choices_invalid": "Максимум выборов в вопросе {number} должен быть от 1 до {limit}.",
    "poll.points_invalid": "Баллы за голосование — целое число от 0 до 1000.",
    "poll.territory_required": "Для территориального голосования выберите округа или районы.",
    "poll.children_ages_invalid": "Возраст детей задаётся от 0 до 18 лет, «от» не больше «до».",
    "poll.min_level_invalid": "Уровень идентификации — 1, 2 или 3.",
    "poll.state_invalid": "Это действие недоступно: голосование {state}.",
    "poll.not_ended": "Итоги публикуются после окончания голосования.",
    "poll.results_not_published": "Итоги ещё не опубликованы.",
    "poll.decision_required": "Опишите принятое решение.",
    "poll.decision_not_found": "Решение не найдено.",
    "poll.image_invalid": "Ссылка на изображение должна начинаться с / или https://.",
    # Points
    "points.insufficient": "Недостаточно баллов.",
    "promo.unknown": "Промокод не найден.",
    "promo.expired": "Срок действия промокода истёк.",
    "promo.exhausted": "Лимит использований промокода исчерпан.",
    "promo.used": "Вы уже использовали этот промокод.",
    "invite.self": "Нельзя пригласить самого себя.",
    "invite.registered": "Этот номер уже зарегистрирован.",
    "invite.duplicate": "Вы уже пригласили этот номер: приглашение действует до {date}.",
    "share.network_invalid": "Неизвестная социальная сеть.",
    "badge.month_invalid": "Месяц указывается в формате ГГГГ-ММ.",
    # Registry import
    "registry.csv_invalid": "Файл реестра граждан: строка {line} — {reason}.",
    # Generic
    "text.too_long": "Текст слишком длинный (не больше {limit} символов).",
    "notification.not_found": "Уведомление не найдено.",
}


def message(key: str, **params: object) -> str:
    """The Russian text of ``key`` with ``params`` substituted."""
    template = MESSAGES[key]
    return template.format(**params) if params else template
