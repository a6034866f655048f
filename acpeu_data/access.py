"""Who may do what, from the `[access]` section of `.streamlit/secrets.toml` (no Streamlit here).

    [access]
    viewers = ["@example.org", "guest@partner.org"]
    data_managers = ["alice@example.org"]

An entry is an e-mail address (that person) or `@domain` (everyone whose address is at exactly
that domain, not its subdomains). Matching ignores case and surrounding spaces. A data manager
may also view; anyone in neither list is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

VIEWER = "viewer"
DATA_MANAGER = "data_manager"
ROLE_KEYS = ("viewers", "data_managers")


class AccessConfigError(ValueError):
    """The `[access]` section cannot be understood; the message says which entry and why."""


def _normalise(entry: object, key: str) -> str:
    if not isinstance(entry, str):
        raise AccessConfigError(
            f"[access] {key}: {entry!r} is not text; write e-mail addresses or @domain entries"
        )
    text = entry.strip().lower()
    local, at, domain = text.rpartition("@")
    if not at or not domain or "." not in domain or " " in text or local.count("@"):
        raise AccessConfigError(
            f"[access] {key}: {entry!r} is neither an e-mail address (name@example.org) "
            "nor a domain (@example.org)"
        )
    return text


@dataclass(frozen=True)
class AccessRules:
    """The normalised entries of each role (lower case, `@domain` or full addresses)."""

    viewers: tuple[str, ...] = ()
    data_managers: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, section: Mapping[str, object] | None) -> AccessRules:
        """Return the rules of an `[access]` section (None or empty: nobody is let in)."""
        section = dict(section or {})
        unknown = sorted(set(section) - set(ROLE_KEYS))
        if unknown:
            raise AccessConfigError(
                f"[access]: unknown key {', '.join(unknown)}; the keys are viewers and data_managers"
            )
        lists: dict[str, tuple[str, ...]] = {}
        for key in ROLE_KEYS:
            entries = section.get(key, [])
            if isinstance(entries, str):
                entries = [entries]
            if not isinstance(entries, Iterable):
                raise AccessConfigError(f"[access] {key} must be a list of e-mail addresses")
            lists[key] = tuple(dict.fromkeys(_normalise(e, key) for e in entries))
        return cls(viewers=lists["viewers"], data_managers=lists["data_managers"])

    def role(self, email: str | None, *, verified: bool | None = None) -> str | None:
        """Return DATA_MANAGER, VIEWER or None (refused) for a signed-in user's e-mail.

        `verified` is the provider's `email_verified` claim: an address the provider says is
        not verified matches nothing (anyone could have typed it); None means not stated.
        """
        if not email or verified is False:
            return None
        address = email.strip().lower()
        local, at, domain = address.rpartition("@")
        if not at or not local or not domain:
            return None
        if _matches(address, domain, self.data_managers):
            return DATA_MANAGER
        if _matches(address, domain, self.viewers):
            return VIEWER
        return None


def _matches(address: str, domain: str, entries: tuple[str, ...]) -> bool:
    return any(entry == address or entry == f"@{domain}" for entry in entries)
