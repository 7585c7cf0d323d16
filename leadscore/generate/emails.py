"""The email source (raw_email): campaigns (SQL) and email events (bulk, NumPy + Arrow)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from leadscore.generate.bulk import ARROW_BATCH_ROWS, RowHasher
from leadscore.generate.mess import RATES, mess_rows
from leadscore.generate.sql import _epoch_us, _pick
from leadscore.generate.web import DOCS, WWW


EMAIL_KINDS = [("send", "email_sends"), ("delivered", "email_sends - cast(email_bounced as int)"),
               ("open", "email_opens"), ("click", "email_clicks"), ("reply", "cast(email_replied as int)"),
               ("bounce", "cast(email_bounced as int)"), ("unsubscribe", "cast(email_unsubscribed as int)")]
EMAIL_LINKS = [WWW + "/pricing?utm_source=email", WWW + "/blog/lead-scoring-101?utm_source=email",
               WWW + "/webinars/ai-for-bi?utm_source=email", DOCS + "/docs/getting-started"]


class EmailSql:
    """raw_email rows (needs the SqlParts, MessSql and BulkWriter)."""

    def campaigns_sql(self) -> str:
        weeks = self.days // 7 + 40
        types = ["newsletter", "nurture", "webinar_invite", "product_update", "promotion"]
        return f"""
        select
            'cmp_' || lpad(cast(w as varchar), 4, '0') as campaign_id,
            {_pick(['Weekly digest', 'Nurture: getting value', 'Webinar invite', 'Product update', 'Spring offer'], 'w')}
                || ' #' || w as name,
            {_pick(types, 'w')} as campaign_type,
            timestamp '{self.start}' + to_days(cast(7 * w - 2 as bigint)) as created_at,
            timestamp '{self.start}' + to_days(cast(7 * w - 2 as bigint)) + interval 1 hour as _loaded_at
        from range({weeks}) as t(w)
        """

    def write_email_events(self) -> int:
        """Email events like web events: NumPy expands and derives, DuckDB writes (see write_web_events)."""
        counts_sql = ", ".join(f"greatest(cast({expr} as integer), 0) as c{j}" for j, (_, expr) in enumerate(EMAIL_KINDS))
        p = self.con.sql(f"""select person_id, epoch_us(created_at) as created_us, email, email_hard_bounced, {counts_sql}
            from people order by person_id""").to_arrow_table()
        counts = np.stack([p.column(f"c{j}").to_numpy() for j in range(len(EMAIL_KINDS))], axis=1)
        return self.write_expanded("raw_email.email_events", p, counts, self._email_chunk, "email_mess", """
            select concat('em_', person_id, '_', event_type, '_', i) as event_id, campaign_id, recipient_email,
                event_type, bounce_type, link_url, occurred_at, _loaded_at
            from chunk""")

    def _email_chunk(self, p, counts: np.ndarray, cur, hasher: RowHasher):
        kinds = [k for k, _ in EMAIL_KINDS]
        n, k_n = counts.shape
        flat = counts.reshape(-1)
        pidx = np.repeat(np.repeat(np.arange(n, dtype=np.int64), k_n), flat)
        kind = np.repeat(np.tile(np.arange(k_n, dtype=np.int32), n), flat)
        i = np.arange(len(pidx), dtype=np.int64) - np.repeat(np.cumsum(flat) - flat, flat)
        pids = p.column("person_id").to_numpy()
        person_id = pids[pidx]
        h = hasher.hash(("bigint", person_id), ("varchar", (kind, kinds)), ("bigint", i))
        send_h = hasher.hash(("bigint", person_id), ("varchar", (np.zeros(len(i), dtype=np.int32), ["send"])),
                                  ("bigint", i))
        send_s = (p.column("created_us").to_numpy()[pidx] // 1_000_000
                  + 86400 + 7 * 86400 * i + (send_h % 21600).astype(np.int64))
        k = {name: j for j, name in enumerate(kinds)}
        delay = np.zeros(len(h), dtype=np.int64)
        for name, base, mod in (("delivered", 5, 120), ("bounce", 5, 120), ("open", 600, 2 * 86400),
                                ("click", 2 * 86400 + 60, 3600), ("reply", 2 * 86400 + 7200, 86400),
                                ("unsubscribe", 3 * 86400, 86400)):
            sel = kind == k[name]
            delay[sel] = base + (h[sel] % mod).astype(np.int64)
        occurred_s = send_s + delay
        dup = np.flatnonzero((h >> 40) % 1000 < 5)
        copy = np.zeros(len(h) + len(dup), dtype=np.int64)
        copy[len(h):] = 1
        h, pidx, kind, i, person_id, send_s, occurred_s = (
            np.concatenate([a, a[dup]]) for a in (h, pidx, kind, i, person_id, send_s, occurred_s))
        loaded_s = occurred_s + 300 + ((h >> 28) % 3600).astype(np.int64) + copy * (3600 + (h >> 32) % 86400).astype(np.int64)
        loaded_us = loaded_s * 1_000_000
        keep = (loaded_us >= self.lo_us) & (loaded_us < self.hi_us)
        if not keep.all():
            sel = np.flatnonzero(keep)
            h, pidx, kind, i, person_id, send_s, occurred_s, copy, loaded_us = (
                a[sel] for a in (h, pidx, kind, i, person_id, send_s, occurred_s, copy, loaded_us))
        if len(h) == 0:
            return None, mess_rows((h, h, h), [])
        future = (h >> 20) % 100000 < RATES["future_timestamp"] * 100000
        shown_s = occurred_s + np.where(future, 86400 * (90 + (h >> 24) % 300).astype(np.int64), 0)
        # As the SQL it replaces: DuckDB's `//` on doubles divides, and the cast to bigint rounds half to even.
        week = np.rint((send_s - _epoch_us(self.start) // 1_000_000).astype(np.float64) / (7 * 86400)).astype(np.int64)
        weeks = np.unique(week)
        emails = p.column("email").combine_chunks()
        variants = self.email_variants(cur, emails)  # n * 4 strings: [variant v of person j] at 4 * j + v
        v = (h >> 8) % 20
        variant = np.where(v < 3, v, 3).astype(np.int64)
        hard = p.column("email_hard_bounced").to_numpy(zero_copy_only=False)[pidx]
        is_bounce, is_click = kind == k["bounce"], kind == k["click"]

        def dictionary(idx, values, mask=None):
            return pa.DictionaryArray.from_arrays(pa.array(idx, mask=None if mask is None else ~mask), values)

        t = pa.table({
            "person_id": person_id, "i": i,
            "event_type": dictionary(kind, pa.array(kinds)),
            "campaign_id": dictionary(np.searchsorted(weeks, week).astype(np.int32),
                                      pa.array([f"cmp_{w:04d}" for w in weeks])),
            "recipient_email": dictionary((4 * pidx + variant).astype(np.int32), variants),
            "bounce_type": dictionary(np.where(hard, 0, 1).astype(np.int32), pa.array(["hard", "soft"]), is_bounce),
            "link_url": dictionary(((h >> 12) % len(EMAIL_LINKS)).astype(np.int32), pa.array(EMAIL_LINKS), is_click),
            "occurred_at": pa.array((shown_s * 1_000_000).view("datetime64[us]")),
            "_loaded_at": pa.array(loaded_us.view("datetime64[us]")),
        })
        first = copy == 0  # (as for web events)
        return pa.Table.from_batches(t.to_batches(max_chunksize=ARROW_BATCH_ROWS)), mess_rows(
            (person_id, kind, i), [(first & future, 4), (copy == 1, 6)])

    def email_variants(self, cur, emails: pa.Array) -> pa.Array:
        """For each email, the 4 ways typed_email writes it (variant 3 is the plain address)."""
        cur.register("email_list", pa.table({"email": emails, "o": np.arange(len(emails))}))
        out = cur.sql(f"""select e from (
                select o, v, {self.typed_email('email', 'v')} as e from email_list, range(4) as t(v))
            order by o, v""").to_arrow_table().column("e").combine_chunks()
        cur.unregister("email_list")
        return out
