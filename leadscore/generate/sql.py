"""SQL pieces every source's generator shares: hash-based uniforms and picks keyed on the seed, lists as SQL
literals, time stamps as text, and the schema the generator's truth goes to."""

from __future__ import annotations

import datetime as dt

from leadscore import schema


TRUTH = schema.TRUTH_SCHEMA


def _epoch_us(moment: dt.date) -> int:
    """Microseconds since 1970-01-01 of a day (its midnight) or of a time of day (naive, UTC)."""
    if isinstance(moment, dt.datetime):
        since = moment - dt.datetime(1970, 1, 1)
        return (since.days * 86_400 + since.seconds) * 1_000_000 + since.microseconds
    return (moment - dt.date(1970, 1, 1)).days * 86_400_000_000


def _sql_list(values) -> str:
    return "[" + ", ".join("null" if v is None else "'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def _pick(values, h: str) -> str:
    """SQL picking one of `values` by the hash expression `h`."""
    return f"{_sql_list(values)}[cast(1 + ({h}) % {len(values)} as bigint)]"


class SqlParts:
    """Hash-based randomness and text of the SQL generators (needs `self.seed`)."""

    def u(self, *parts: str, mod: int = 1_000_000) -> str:
        """A uniform in [0, 1) from a hash of the seed and `parts` (SQL)."""
        return f"((hash({self.seed}, {', '.join(parts)}) % {mod}) / {float(mod)})"

    def h(self, *parts: str) -> str:
        return f"hash({self.seed}, {', '.join(parts)})"

    def ts_text(self, ts: str, tz_minutes: str, tz_text: str) -> str:
        return f"strftime({ts} + to_minutes(cast({tz_minutes} as bigint)), '%Y-%m-%dT%H:%M:%S') || {tz_text}"
