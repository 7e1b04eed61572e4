"""Yes/no/abstain votes: majorities, bases, quorum."""

import pytest

from commonweal.voting.counting import OptionError, count


@pytest.fixture(autouse=True)
def _email_in_memory():
    """Shadow the project conftest's autouse Django fixture: the counting core needs no Django."""


def motion(yes, no, abstain):
    return {
        "method": "majority",
        "seats": 1,
        "candidates": ["yes", "no", "abstain"],
        "ballots": [
            {"count": yes, "ranking": ["yes"]},
            {"count": no, "ranking": ["no"]},
            {"count": abstain, "ranking": ["abstain"]},
        ],
    }


def outcome(yes, no, abstain, **options):
    return count(motion(yes, no, abstain), **options).to_dict()["outcome"]


def test_simple_majority_ignores_abstentions():
    result = count(motion(10, 9, 50)).to_dict()
    assert result["outcome"] == "carried"
    assert result["winners"] == ["yes"]
    assert (result["yes"], result["no"], result["abstain"]) == (10, 9, 50)
    assert "abstentions not counted" in result["convention"]


def test_simple_majority_tie_is_not_carried():
    assert outcome(10, 10, 0) == "not_carried"


def test_simple_majority_counting_abstentions():
    assert outcome(10, 9, 2, base="yes_no_abstain") == "not_carried"
    assert outcome(11, 9, 1, base="yes_no_abstain") == "carried"


def test_two_thirds_boundary_exactly():
    assert outcome(20, 10, 7, majority="two_thirds") == "carried"  # 60 >= 60
    assert outcome(19, 10, 7, majority="two_thirds") == "not_carried"  # 57 < 58
    assert outcome(20, 10, 1, majority="two_thirds", base="yes_no_abstain") == "not_carried"
    assert outcome(22, 10, 1, majority="two_thirds", base="yes_no_abstain") == "carried"


def test_two_thirds_of_entitled():
    assert outcome(40, 0, 0, majority="two_thirds", base="entitled", entitled=60) == "carried"
    assert outcome(39, 0, 0, majority="two_thirds", base="entitled", entitled=60) == "not_carried"


def test_absolute_majority_of_entitled():
    assert outcome(15, 0, 5, majority="absolute", entitled=30) == "not_carried"
    assert outcome(16, 0, 5, majority="absolute", entitled=30) == "carried"


def test_absolute_majority_without_entitled_uses_votes_cast():
    result = count(motion(10, 5, 5), majority="absolute").to_dict()
    assert result["base"] == "yes_no_abstain"
    assert result["base_total"] == 20
    assert result["outcome"] == "not_carried"


def test_no_votes_never_carry():
    assert outcome(0, 0, 0, majority="two_thirds") == "not_carried"
    assert outcome(0, 0, 3, majority="two_thirds") == "not_carried"


def test_quorum_failure_is_without_effect():
    result = count(motion(30, 1, 0), quorum=50).to_dict()
    assert result["outcome"] == "quorum_not_reached"
    assert result["winners"] == []
    assert "without effect" in result["statement"]
    assert result["turnout"] == 31
    assert outcome(30, 1, 19, quorum=50) == "carried"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"majority": "three_quarters"}, "majority must be one of"),
        ({"base": "members"}, "base must be one of"),
        ({"base": "entitled"}, "needs the number of entitled"),
        ({"entitled": 5}, "smaller than the turnout"),
        ({"majority": "absolute", "base": "yes_no"}, "absolute majority"),
    ],
)
def test_bad_options(options, message):
    with pytest.raises(OptionError, match=message):
        count(motion(5, 3, 1), **options)
