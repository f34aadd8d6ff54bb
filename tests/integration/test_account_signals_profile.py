"""Profile signal: templated handles, copied bios and default images versus ordinary profiles."""

from __future__ import annotations

from coordgraph.analytics.signals.profile import profile
from helpers import assert_json_ready

ACCOUNTS = """
UNWIND $rows AS row
CREATE (a:Account {id: row.id, username: row.username, username_lc: toLower(row.username), name: row.name,
                   description: row.bio, default_profile_image: row.default_image,
                   profile_image_url: row.image})
WITH a, row WHERE row.active
CREATE (a)-[:POSTED]->(:Tweet {id: 't' + row.id, created_ms: 1600000000000, kind: 'original', author_id: row.id})
"""

FIRST = ["Oliver", "Amelia", "Harry", "Isla", "George", "Ava", "Noah", "Mia", "Leo", "Ivy", "Jack", "Rosie",
         "Arthur", "Lily", "Freddie", "Grace", "Alfie", "Evie", "Theo", "Ella", "Oscar", "Poppy", "Archie",
         "Sophie", "Henry", "Daisy", "Charlie", "Alice", "Thomas", "Florence", "Jacob", "Emily", "Finley",
         "Sienna", "Edward", "Ruby", "Logan", "Matilda", "Max", "Millie", "Lucas", "Phoebe", "Ethan", "Layla"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts", "Walker", "Wright"]


def _rows():
    rows = []
    for i, first in enumerate(FIRST):
        last = LAST[i % len(LAST)]
        handle = f"{first}{last}" if i % 3 else f"{first.lower()}_{last.lower()}"
        if i % 7 == 0:
            handle = f"{first.lower()}{48213570 + i * 1111}"  # organic name + 8 digits (the platform's suggestion)
        rows.append({
            "id": f"org{i:02d}", "username": handle, "name": f"{first} {last}",
            "bio": "" if i % 5 == 0 else f"{first} from {last}shire. Views my own, {i} cats.",
            "default_image": i in (3, 11), "image": f"https://pbs.example/{i}.jpg", "active": True,
        })
    # ordinary first-name coincidences: three Johns are not a template
    for i, last in enumerate(["Smith", "Brown", "Davies"]):
        rows.append({"id": f"john{i}", "username": f"John{last}", "name": f"John {last}", "bio": f"John, {last} family",
                     "default_image": False, "image": f"https://pbs.example/j{i}.jpg", "active": True})
    # short surnames are names, not affixes
    for i, first in enumerate(["Sara", "Joon", "Min"]):
        rows.append({"id": f"kim{i}", "username": f"{first}Kim", "name": f"{first} Kim", "bio": f"{first} K. here",
                     "default_image": False, "image": f"https://pbs.example/k{i}.jpg", "active": True})
    network = ["Sarah", "James", "Emma", "William", "Charlotte"]
    for i, first in enumerate(network):
        rows.append({
            "id": f"net{i}", "username": f"{first}UK" if i % 2 == 0 else f"UK{first}", "name": f"{first} UK",
            "bio": "" if i < 3 else "Proud supporter of friendship between our peoples",
            "default_image": True, "image": "https://abs.example/sticky/default_profile_images/default_profile_normal.png",
            "active": True,
        })
    # same template but never active in the data: left out unless active_only=False
    rows.append({"id": "idle", "username": "OliviaUK", "name": "Olivia UK", "bio": "", "default_image": True,
                 "image": None, "active": False})
    return rows


def test_profile_templates_copied_bios_and_default_images(clean_db):
    clean_db.execute_query(ACCOUNTS, rows=_rows())
    result = profile(clean_db)
    assert_json_ready(result)
    scores = result.accounts.set_index("account_id")
    net = {f"net{i}" for i in range(5)}
    assert set(result.accounts["account_id"].head(5)) == net
    assert "idle" not in scores.index

    pairs = {(r.a, r.b): r for r in result.pairs.itertuples()}
    # every network pair is linked by the display-name template "<Name> UK"
    assert all((a, b) in pairs for a in net for b in net if a < b)
    assert "name:<name>+uk" in pairs[("net0", "net1")].posts
    # <Name>UK handles (net0, net2, net4) share one handle template, UK<Name> (net1, net3) are only two
    assert "handle:<name>+uk" in pairs[("net0", "net2")].posts
    assert not any(p.startswith("handle:uk+") for p in pairs[("net1", "net3")].posts)
    # the copied bio links net3 and net4 and makes theirs the strongest pair
    assert "bio:proud supporter of friendship between our peoples" in pairs[("net3", "net4")].posts
    strongest = result.pairs.sort_values("weight", ascending=False).iloc[0]
    assert (strongest.a, strongest.b) == ("net3", "net4")
    # the Johns are not templated; organic name+8-digit handles are linked, but weakly
    assert not any(a.startswith(("john", "kim")) or b.startswith(("john", "kim")) for a, b in pairs)
    digit_pairs = result.pairs[result.pairs["posts"].map(lambda p: p == ["handle:<letters>+<8 digits>"])]
    assert len(digit_pairs) > 0
    assert digit_pairs["weight"].max() < result.pairs[result.pairs["a"].str.startswith("net")]["weight"].min()

    detail = scores.loc["net0", "detail"]
    assert set(detail["traits"]) == {"empty_bio", "default_profile_image"}
    assert detail["traits"]["default_profile_image"] == round(7 / 55, 4)
    assert detail["shared"]["name:<name>+uk"] == 5
    assert set(detail["peers"]) == net - {"net0"}
    assert result.params["min_accounts"] == 3

    everyone = profile(clean_db, active_only=False)
    assert "idle" in set(everyone.accounts["account_id"])
    assert everyone.accounts.set_index("account_id").loc["idle", "detail"]["shared"]["name:<name>+uk"] == 6
