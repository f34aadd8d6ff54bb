"""How ``cnt_pairs.cnt_arrays`` turns the server's rows into codes: account ids a batch at a time
(``AccountCodes``) and event ids sent as integers or text (``extend_codes``) must give the codes an id-by-id
reading gives."""

from __future__ import annotations

import random
from array import array

import numpy as np

from coordgraph.analytics.signals.cnt_pairs import AccountCodes, EventCodes, extend_codes


def test_account_codes_in_batches_equal_one_dictionary():
    rng = random.Random(3)
    ids = [rng.choice(["a", "b", "ü", "", "0", "00", "x" * 40, f"{rng.randrange(300)}"]) for _ in range(5000)]
    accounts, expected = AccountCodes(), {}
    codes = np.concatenate([accounts.codes(ids[lo:lo + 777]) for lo in range(0, len(ids), 777)] + [accounts.codes([])])
    assert codes.tolist() == [expected.setdefault(a, len(expected)) for a in ids]
    assert accounts.names().tolist() == list(expected)  # the id of each code
    accounts.clear()
    assert accounts.codes(["b"]).tolist() == [0]


def test_event_ids_as_integers_or_text_get_the_codes_of_their_text():
    ids = ["1400000000000000001", "0140000000000000001", "x", "1400000000000000001#2", "9223372036854775808", "7"]
    # the query sends a canonical decimal id of 15 or more digits as its integer, any other as text
    sent = [int(i) if i.isdigit() and i[0] != "0" and 15 <= len(i) and int(i) < 2**63 else i for i in ids]
    assert sent[0] == 1400000000000000001 and sent[4] == ids[4]
    one = EventCodes()
    expected = [one(i) for i in ids]
    for rows in ([sent], [sent[:1], sent[1:]], [[sent[0], sent[0]], sent[1:]]):
        codes, event_code = array("q", [5]), EventCodes()
        for row in rows:
            extend_codes(codes, row, event_code)
        got = codes.tolist()[1:]
        if len(rows[0]) == 2:
            assert got[:2] == [expected[0]] * 2
            got = got[1:]
        # an integer before the first text in a row is not taken twice; equal ids equal codes across rows
        assert got == expected


def test_a_row_of_integers_is_taken_as_it_is():
    codes = array("q")
    extend_codes(codes, [10**14, 2**63 - 1], EventCodes())
    assert codes.tolist() == [10**14, 2**63 - 1]
