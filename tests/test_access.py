"""The access rules of [access]: e-mail addresses, @domain entries, case, unknown users."""

from __future__ import annotations

import pytest

from acpeu_data.access import DATA_MANAGER, VIEWER, AccessConfigError, AccessRules

RULES = AccessRules.from_config(
    {
        "viewers": ["@Example.org", " guest@Partner.ORG "],
        "data_managers": ["alice@example.org", "bob@ministry.gov"],
    }
)


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("alice@example.org", DATA_MANAGER),  # a data manager, also inside a viewer domain
        ("ALICE@Example.Org", DATA_MANAGER),  # case does not matter
        ("bob@ministry.gov", DATA_MANAGER),
        ("carol@example.org", VIEWER),  # by domain
        ("guest@partner.org", VIEWER),  # by address, stored with spaces and capitals
        ("other@partner.org", None),  # same domain as a listed address: not listed
        ("dave@sub.example.org", None),  # a subdomain is not the domain
        ("eve@example.org.evil.com", None),  # a domain that merely starts like it
        ("eve@notexample.org", None),  # a domain that merely ends like it
        ("mallory@elsewhere.net", None),  # unknown
        ("", None),
        (None, None),
        ("not-an-address", None),
        ("@example.org", None),  # no local part
    ],
)
def test_role(email, role):
    assert RULES.role(email) == role


def test_an_address_the_provider_says_is_unverified_matches_nothing():
    assert RULES.role("alice@example.org", verified=False) is None
    assert RULES.role("alice@example.org", verified=True) == DATA_MANAGER
    assert RULES.role("alice@example.org", verified=None) == DATA_MANAGER


def test_no_access_section_lets_nobody_in():
    assert AccessRules.from_config(None).role("alice@example.org") is None
    assert AccessRules.from_config({}).role("alice@example.org") is None


def test_a_single_entry_may_be_written_as_text():
    rules = AccessRules.from_config({"viewers": "@example.org"})
    assert rules.role("x@example.org") == VIEWER


@pytest.mark.parametrize(
    ("section", "says"),
    [
        ({"viewer": ["@example.org"]}, "unknown key viewer"),
        ({"viewers": ["example.org"]}, "'example.org' is neither"),
        ({"viewers": ["a b@example.org"]}, "is neither"),
        ({"viewers": ["@localhost"]}, "is neither"),
        ({"data_managers": [42]}, "42 is not text"),
    ],
)
def test_a_bad_entry_is_named(section, says):
    with pytest.raises(AccessConfigError, match=says):
        AccessRules.from_config(section)
