"""Codes and keys drawn a batch at once are the same kind as the one-by-one ones."""

import os
from collections import Counter

from ag_app.domain.promo import CODE_ALPHABET, CODE_LENGTH, new_codes, pseudonym, pseudonyms


def test_batch_codes_use_only_the_alphabet_and_every_letter_equally_often():
    codes = new_codes(32_000)
    assert len(codes) == 32_000 and all(len(code) == CODE_LENGTH for code in codes)
    assert len(set(codes)) == 32_000  # 32^10 possible codes: a repeat here would be a broken source
    letters = Counter("".join(codes))
    assert set(letters) == set(CODE_ALPHABET)
    # 10 000 of each letter expected; ± 6 % is six standard deviations (about 98).
    assert all(9_400 < count < 10_600 for count in letters.values())
    assert new_codes(0) == []


def test_batch_keys_equal_the_keys_one_by_one():
    secret = os.urandom(32)
    ids = [1, 7, 42, 1_000_000, 2_999_999]
    assert pseudonyms(secret, ids) == [pseudonym(secret, user_id) for user_id in ids]
    assert pseudonyms(secret, iter(ids)) == pseudonyms(secret, ids)
    assert pseudonyms(os.urandom(32), ids) != pseudonyms(secret, ids)
