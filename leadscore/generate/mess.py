"""The planted mess: its rates (RATES), the SQL that breaks emails as people mistype them, and the
bookkeeping of the mess planted in the bulk-written events (web and email)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa


# Mess rates (documented in docs/generator.md; tests check them).
RATES = {
    "crm_duplicate_person": 0.04,   # of persons: a second CRM lead with a case/whitespace email variant
    "crm_stale_version": 0.15,      # of CRM lead records: an older version exported too
    "missing_email": 0.01,          # of CRM lead records / identifies / form submissions
    "invalid_email": 0.01,
    "soft_deleted": 0.015,          # of CRM lead records (and 1% of accounts and opportunities)
    "duplicate_delivery": 0.01,     # of web events (0.5% of email events)
    "late_arrival": 0.02,           # of web events: loaded 1-4 days after they happened
    "unknown_event_name": 0.002,    # of web events
    "malformed_json": 0.002,        # of web events
    "negative_duration": 0.003,     # of web events (page views and API calls)
    "future_timestamp": 0.0005,     # of web and email events: timestamp months after _loaded_at
    "bot_user_agent": 0.01,         # bot browsers per person, ~150 events each
    "bot_event_rate": 0.003,        # rate bots (normal user agent, 40 events a minute) per person
    "unknown_anonymous_id": 0.4,    # never-identified visitors per person, 1-6 page views each
}


def mess_rows(keys: tuple[np.ndarray, ...], flagged: list) -> tuple[np.ndarray, ...]:
    """(person_id, kind, i, code) of the rows selected by each (mask, code or codes) of `flagged`."""
    out = [[], [], [], []]
    for mask, codes in flagged:
        idx = np.flatnonzero(mask)
        for j, key in enumerate(keys):
            out[j].append(key[idx])
        out[3].append(codes[idx] if isinstance(codes, np.ndarray) else np.full(len(idx), codes))
    types = (np.int64, np.int32, np.int64, np.int8)
    return tuple(np.concatenate(part + [np.zeros(0, dtype=t)]).astype(t) for part, t in zip(out, types))


class MessSql:
    """Mess planted by the SQL and bulk generators (needs `self.con` and the SqlParts)."""

    def typed_email(self, email: str, h: str) -> str:
        """The email as a person types it: sometimes with capitals or stray spaces."""
        return (f"case ({h}) % 20 when 0 then upper({email}) when 1 then ' ' || {email} || ' ' "
                f"when 2 then upper(substr({email}, 1, 1)) || substr({email}, 2) else {email} end")

    def broken_email(self, email: str, u: str, h: str) -> str:
        """Missing (1%) or invalid (1%) email, else the email as typed."""
        invalid = (f"case ({h}) % 4 when 0 then replace({email}, '@', ' at ') when 1 then split_part({email}, '@', 1) || '@' "
                   f"when 2 then 'n/a' else replace({email}, '@', '@@') end")
        return (f"case when {u} < {RATES['missing_email']} then null "
                f"when {u} < {RATES['missing_email'] + RATES['invalid_email']} then {invalid} "
                f"else {self.typed_email(email, h)} end")

    def mess_thresholds(self) -> tuple[float, float, float, float]:
        a = RATES["unknown_event_name"]
        b = a + RATES["malformed_json"]
        c = b + RATES["negative_duration"]
        d = c + RATES["future_timestamp"]
        return a, b, c, d

    def save_mess(self, mess_table: str, mess: list[tuple[np.ndarray, ...]]) -> None:
        """The mess arrays (person_id, kind, i, mess code) of all chunks as the temp table `mess_table`."""
        names, types = ("person_id", "kind", "i", "mess"), (np.int64, np.int32, np.int64, np.int8)
        columns = {name: np.concatenate([m[j] for m in mess] + [np.zeros(0, dtype=t)]).astype(t)
                   for j, (name, t) in enumerate(zip(names, types))}
        self.con.register("mess_df", pa.table(columns))
        self.con.execute(f"create or replace temp table {mess_table} as select * from mess_df")
        self.con.unregister("mess_df")
