"""The web source (raw_web): identifies, and events of people (bulk, NumPy + Arrow), bots and never-identified
visitors; the texts of the web events (WebLookups)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from leadscore import kernels
from leadscore.generate.bulk import ARROW_BATCH_ROWS, RowHasher, _Dictionary, cast_double_texts, string_buffers
from leadscore.generate.mess import RATES, mess_rows
from leadscore.generate.people import ACTIVE_DAYS
from leadscore.generate.sql import _pick


BROWSERS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Edg/124.0",
]
BOT_AGENTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0 Safari/537.36",
    "python-requests/2.32.3",
    "curl/8.5.0",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Baiduspider+(+http://www.baidu.com/search/spider.htm)",
]


# Web event kinds: (count column, event name, call type, host, paths, page title)
WWW = "https://www.acmeanalytics.io"
DOCS = "https://docs.acmeanalytics.io"
APP = "https://app.acmeanalytics.io"
WEB_KINDS = [
    ("n_pv_pricing", "page_viewed", "page", WWW, ["/pricing", "/pricing?plan=team", "/pricing#enterprise"], "Pricing"),
    ("n_pv_demo", "page_viewed", "page", WWW, ["/demo", "/demo?utm_source=google&utm_medium=cpc"], "Book a demo"),
    ("n_pv_docs", "page_viewed", "page", DOCS, ["/docs/getting-started", "/docs/sql-reference", "/docs/alerts",
                                                "/docs/api", "/docs/sso", "/docs/connectors"], "Docs"),
    ("n_pv_blog", "page_viewed", "page", WWW, ["/blog/modern-data-stack", "/blog/lead-scoring-101",
                                               "/blog/release-notes", "/blog/dbt-tips"], "Blog"),
    ("n_pv_general", "page_viewed", "page", WWW, ["/", "/product/dashboards", "/product/alerts",
                                                  "/integrations/snowflake", "/integrations/salesforce",
                                                  "/customers", "/about", "/contact", "/?ref=producthunt"], "Acme Analytics"),
    ("n_pv_careers", "page_viewed", "page", WWW, ["/careers", "/careers/data-engineer", "/careers/account-executive"], "Careers"),
    ("n_pv_whitepaper", "page_viewed", "page", WWW, ["/resources/whitepapers/state-of-analytics",
                                                     "/resources/whitepapers/roi-guide"], "Whitepaper"),
    ("n_pv_webinar", "page_viewed", "page", WWW, ["/webinars/analytics-in-practice", "/webinars/ai-for-bi"], "Webinar"),
    ("n_pv_app", "page_viewed", "page", APP, ["/app/home", "/app/dashboards", "/app/settings", "/app/alerts"], "App"),
    ("n_api_call", "api_call", "track", APP, ["/app/api-console"], None),
    ("n_feature_used", "feature_used", "track", APP, ["/app/dashboards", "/app/alerts", "/app/reports"], None),
    ("n_file_downloaded", "file_downloaded", "track", WWW, ["/resources/whitepapers/state-of-analytics"], None),
    ("n_webinar_attended", "webinar_attended", "track", WWW, ["/webinars/analytics-in-practice"], None),
    ("cast(signed_up as int)", "signed_up", "track", APP, ["/app/signup"], None),
    ("cast(trial_started as int)", "trial_started", "track", APP, ["/app/billing"], None),
    ("onboarding_steps", "onboarding_step_completed", "track", APP, ["/app/onboarding"], None),
    ("cast(demo_requested as int)", "demo_requested", "track", WWW, ["/demo"], None),
]
PRODUCT_EVENTS = ("api_call", "feature_used", "signed_up", "trial_started", "onboarding_step_completed")
FEATURES = ["dashboards", "alerts", "integrations", "reports", "sso", "export", "workflows", "api_keys"]
UNKNOWN_EVENTS = ["Page Viewed", "button_clicked", "signup", "pageview", "Order Completed"]


REFERRERS = ["https://www.google.com/", "https://www.linkedin.com/", "https://news.ycombinator.com/", "https://www.bing.com/"]
API_ENDPOINTS = ["/v1/query", "/v1/dashboards", "/v1/alerts", "/v1/export"]
FILES = ["whitepaper", "ebook", "datasheet", "case_study"]
TRIAL_PLANS = ["pro", "team", "enterprise"]


class WebLookups:
    """Every low-cardinality text of raw_web.events, as Arrow dictionaries, and NumPy tables that map a row's
    kind and hash bits to an index into them (the same choices the SQL `_pick` helpers make)."""

    def __init__(self):
        kinds = WEB_KINDS
        names = [k[1] for k in kinds]
        self.kind_of = {name: k for k, name in reversed(list(enumerate(names)))}
        ev = _Dictionary()
        self.event_of_kind = np.array([ev.add(n) for n in names], dtype=np.int32)
        self.unknown_event = np.array([ev.add(n) for n in UNKNOWN_EVENTS], dtype=np.int32)
        self.events = ev.array()
        ty = _Dictionary()
        self.type_of_kind = np.array([ty.add(k[2]) for k in kinds], dtype=np.int32)
        self.types = ty.array()
        urls, paths = _Dictionary(), _Dictionary()
        flat_url, flat_path, offset, count = [], [], [], []
        for k in kinds:
            offset.append(len(flat_url))
            count.append(len(k[4]))
            for path in k[4]:
                flat_url.append(urls.add(k[3] + path))
                flat_path.append(paths.add(path.split("?")[0].split("#")[0]))
        self.url_offset, self.url_count = np.array(offset, dtype=np.int64), np.array(count, dtype=np.int64)
        self.flat_url, self.flat_path = np.array(flat_url, dtype=np.int32), np.array(flat_path, dtype=np.int32)
        self.urls, self.paths = urls.array(), paths.array()
        self.referrers = pa.array(REFERRERS)
        # per kind: whether the event carries the user id, and may carry a negative duration (pages, API calls)
        self.is_product = np.array([w[1] in PRODUCT_EVENTS or w[0] == "n_pv_app" for w in kinds])
        self.can_neg = np.array([w[2] == "page" or w[1] == "api_call" for w in kinds])
        self.signed_up_kind = self.kind_of["signed_up"]
        # properties: every possible JSON text (and its malformed twin, cut short by one character)
        api_text = [cast_double_texts([v / 1000.0 for v in range(2000)])]
        props = _Dictionary()
        raw: list[str] = []
        self.page_base = len(raw)
        for k in range(9):
            title = kinds[k][5]
            raw += [f'{{"title": "{title}", "duration_s": {-1 - j}}}' for j in range(100)]
            raw += [f'{{"title": "{title}", "duration_s": {3 + j}}}' for j in range(300)]
        self.api_base = len(raw)
        for e in API_ENDPOINTS:
            raw += [f'{{"endpoint": "{e}", "duration_s": -0.5}}'] + [
                f'{{"endpoint": "{e}", "duration_s": {t}}}' for t in api_text[0]]
        self.feature_base = len(raw)
        raw += [f'{{"feature": "{f}"}}' for f in FEATURES]
        self.file_base = len(raw)
        raw += [f'{{"file": "{f}", "title": "State of Analytics 2026"}}' for f in FILES]
        self.webinar_at = len(raw)
        raw += ['{"webinar": "Analytics in practice"}', '{"plan": "free"}']
        self.trial_base = len(raw)
        raw += [f'{{"plan": "{p}"}}' for p in TRIAL_PLANS]
        self.step_base = len(raw)
        raw += [f'{{"step": {s}}}' for s in range(1, 6)]
        self.empty_at = len(raw)
        raw += ["{}"]
        self.n_raw = len(raw)
        # per kind, the rule (kernels.PROP_*) that picks its properties text; per rule, its first text
        rules = {"api_call": kernels.PROP_API, "feature_used": kernels.PROP_FEATURE,
                 "file_downloaded": kernels.PROP_FILE, "webinar_attended": kernels.PROP_WEBINAR,
                 "signed_up": kernels.PROP_SIGNUP, "trial_started": kernels.PROP_TRIAL,
                 "onboarding_step_completed": kernels.PROP_STEP}
        self.prop_rule = np.array([kernels.PROP_PAGE if w[2] == "page" else rules.get(w[1], kernels.PROP_EMPTY)
                                   for w in kinds], dtype=np.int64)
        self.prop_base = np.array([self.page_base, self.api_base, self.feature_base, self.file_base,
                                   self.webinar_at, self.webinar_at + 1, self.trial_base, self.step_base,
                                   self.empty_at], dtype=np.int64)
        self.props_map = np.array([props.add(r) for r in raw] + [props.add(r[:-1]) for r in raw], dtype=np.int32)
        self.properties = props.array()


_WEB_LOOKUPS: list[WebLookups] = []


def web_lookups() -> WebLookups:
    if not _WEB_LOOKUPS:
        _WEB_LOOKUPS.append(WebLookups())
    return _WEB_LOOKUPS[0]


class WebSql:
    """raw_web rows (needs the SqlParts, MessSql and BulkWriter)."""

    def identifies_sql(self) -> str:
        return f"""
        with devices as (
            select p.*, d.device
            from people as p, (values (1), (2)) as d(device)
            where p.has_web and (d.device = 1 or (p.devices = 2 and {self.u('person_id', "'dev2'")} < 0.6))
        ),
        calls as (
            select
                *,
                created_at + to_seconds(cast((device - 1) * (3 * 86400 + {self.h('person_id', "'idt'")} % (20 * 86400)) as bigint))
                    as identified_at
            from devices
        )
        select
            'idf_' || person_id || '_' || device as message_id,
            case when device = 1 then anon1 else anon2 end as anonymous_id,
            case when device = 2 then user_id end as user_id,
            {self.broken_email('email', self.u('person_id', 'device', "'idf_email'"), self.h('person_id', "'idf_typed'"))} as email,
            '{{"first_name": "' || replace(first_name, '"', '') || '", "title": "' || coalesce(replace(title, '"', ''), '') || '"}}'
                as traits,
            {self.ts_text('identified_at', 'tz_minutes', 'tz_text')} as timestamp,
            identified_at + to_seconds(cast(60 + {self.h('person_id', 'device', "'idl'")} % 3600 as bigint)) as _loaded_at
        from calls
        """

    def write_web_events(self) -> int:
        """Person web events in chunks of people: NumPy expands the per-person counts and derives every column
        from the row hash (the same hash the SQL generators use); DuckDB builds the two unique text columns (event
        id, time stamp) and writes the rows. Low-cardinality text goes in as Arrow dictionaries, never built row
        by row."""
        count_cols = ", ".join(f"cast({col} as integer) as c{k}" for k, (col, *_rest) in enumerate(WEB_KINDS))
        p = self.con.sql(f"""select person_id, epoch_us(first_touch_at) as ft_us, sessions, devices, tz_minutes,
                tz_text, anon1, anon2, user_id, email, user_agent, {count_cols}
            from people where has_web order by person_id""").to_arrow_table()
        counts = np.stack([p.column(f"c{k}").to_numpy() for k in range(len(WEB_KINDS))], axis=1)  # (people, kinds)
        return self.write_expanded("raw_web.events", p, counts, self._web_chunk, "web_mess", "select * from chunk")

    def _web_chunk(self, p, counts: np.ndarray, cur, hasher: RowHasher):
        """One chunk of people's web events: `kernels.web_events` computes every column in one pass over the
        rows. Text of few values goes in as Arrow dictionaries over the WebLookups texts and the people's own
        (anonymous ids, user agents, ...); the event id and time stamp as Arrow strings."""
        pids = p.column("person_id").to_numpy().astype(np.int64)
        sessions = p.column("sessions").to_numpy().astype(np.int64)
        tz_offsets, tz_text = string_buffers(p.column("tz_text"))
        people = {
            "person_id": pids, "ft_us": p.column("ft_us").to_numpy(), "sessions": sessions,
            "sess_first": np.cumsum(sessions) - sessions, "sess_s": self.session_offsets(cur, pids, sessions),
            "tz_minutes": p.column("tz_minutes").to_numpy().astype(np.int64), "tz_offsets": tz_offsets,
            "tz_text": tz_text, "devices": p.column("devices").to_numpy().astype(np.int64),
            "user_valid": p.column("user_id").is_valid().to_numpy(zero_copy_only=False),
        }
        L = web_lookups()
        ev = kernels.web_events(counts, people, L, hasher.seed_hash, self.lo_us, self.hi_us,
                                round(RATES["duplicate_delivery"] * 10000), round(RATES["late_arrival"] * 10000),
                                tuple(int(round(t * 100000)) for t in self.mess_thresholds()))
        person_id, kind, i, row = ev["person_id"], ev["kind"], ev["i"], ev["person_row"]
        if len(person_id) == 0:
            return None, mess_rows((person_id, kind, i), [])
        if "web_rows" not in hasher.checked:  # the kernel's hash against DuckDB's, before it is trusted
            cols = (("bigint", person_id[:2000]), ("integer", kind[:2000]), ("bigint", i[:2000]))
            hasher.check(cols, kernels.hash_rows(hasher.seed_hash, person_id[:2000], kind[:2000], i[:2000]))
            hasher.checked.add("web_rows")

        def dictionary(idx, values, null=None):
            return pa.DictionaryArray.from_arrays(pa.array(idx, mask=null), values)

        def text(offsets_data):
            offsets, data = offsets_data
            return pa.StringArray.from_buffers(len(offsets) - 1, pa.py_buffer(offsets), pa.py_buffer(data))

        anons = pa.concat_arrays([p.column("anon1").combine_chunks(), p.column("anon2").combine_chunks()])
        t = pa.table({
            "event_id": text(ev["event_id"]),
            "anonymous_id": dictionary(ev["anon"], anons),
            "user_id": dictionary(row, p.column("user_id").combine_chunks(), ev["user_null"]),
            "email": dictionary(row, p.column("email").combine_chunks(), ev["email_null"]),
            "type": dictionary(ev["type"], L.types),
            "event": dictionary(ev["event"], L.events),
            "url": dictionary(ev["url"], L.urls),
            "path": dictionary(ev["path"], L.paths),
            "referrer": dictionary(ev["referrer"], L.referrers, ev["referrer_null"]),
            "properties": dictionary(ev["properties"], L.properties),
            "user_agent": dictionary(row, p.column("user_agent").combine_chunks()),
            "timestamp": text(ev["timestamp"]),
            "_loaded_at": pa.array(ev["loaded_at"].view("datetime64[us]")),
        })
        # Planted mess, listed once per event (from its first copy) and once per second delivery.
        # (a second delivery whose first copy came in an earlier window: that window listed the event already)
        first = ~ev["copy"]
        return pa.Table.from_batches(t.to_batches(max_chunksize=ARROW_BATCH_ROWS)), mess_rows(
            (person_id, kind, i), [(first & (ev["mess"] > 0), ev["mess"]), (first & ev["late"], 5), (ev["copy"], 6)])

    def session_offsets(self, cur, pids: np.ndarray, sessions: np.ndarray) -> np.ndarray:
        """Seconds from first touch to the start of each session of each person (0 for the first session)."""
        pid = np.repeat(pids, sessions)
        k = np.arange(len(pid), dtype=np.int64) - np.repeat(np.cumsum(sessions) - sessions, sessions)
        cur.register("sessions_df", pa.table({"person_id": pid, "k": k, "o": np.arange(len(pid))}))
        # `h % sessions` is a hugeint in the SQL this replaces; the hash depends on the type.
        out = cur.execute(f"""select case when k = 0 then 0
                else hash({self.seed}, person_id, 'sess', cast(k as hugeint)) % {ACTIVE_DAYS * 86400} end as s
            from sessions_df order by o""").fetchnumpy()["s"]
        cur.unregister("sessions_df")
        return np.asarray(out, dtype=np.int64)

    def day_counts_sql(self, per_day: float, tag: str) -> str:
        """(d, k) for k < the number of actors starting on day d: floor((d+1)r) - floor(dr), spread evenly."""
        r = per_day
        return f"""
        select d, unnest(range(cast(floor((d + 1) * {r}) - floor(d * {r}) as bigint))) as k
        from range({self.day_lo}, {self.day_hi}) as t(d)
        """

    def bot_events_sql(self, leads: int) -> str:
        days = self.params_days
        ua_per_day = leads * RATES["bot_user_agent"] / days
        rate_per_day = leads * RATES["bot_event_rate"] / days
        return f"""
        with bots0 as (
            select d, k, 'ua' as bot_kind, 150 as n from ({self.day_counts_sql(ua_per_day, 'ua')})
            union all
            select d, k, 'rate' as bot_kind, 120 as n from ({self.day_counts_sql(rate_per_day, 'rate')})
        ),
        bots as (
            -- everything that is per bot, computed once per bot rather than per event
            select *,
                'b' || substr(md5('{self.seed}-bot-' || bot_kind || d || '-' || k), 1, 19) as anon,
                timestamp '{self.start}' + to_days(cast(d as bigint))
                    + to_seconds(cast({self.h('d', 'k', 'bot_kind')} % 86000 as bigint)) as t0,
                case when bot_kind = 'ua' then {_pick(BOT_AGENTS, self.h('d', 'k'))} else {_pick(BROWSERS, self.h('d', 'k'))} end
                    as user_agent
            from bots0
        ),
        x as (
            select *, unnest(range(n)) as i from bots
        ),
        e as (
            select *, {self.h('d', 'k', 'bot_kind', 'i')} as h from x
        ),
        timed as (
            select *,
                case when bot_kind = 'rate' then t0 + to_seconds(cast(i * 1.5 as bigint))
                     else t0 + to_seconds(cast(i * 1100 + h % 600 as bigint)) end as event_at
            from e
        )
        select
            'evt_b' || bot_kind || '_' || d || '_' || k || '_' || i as event_id,
            anon as anonymous_id,
            null as user_id,
            null as email,
            'page' as type,
            'page_viewed' as event,
            '{WWW}' || {_pick(['/', '/pricing', '/blog/dbt-tips', '/customers', '/docs/api', '/demo', '/about'], 'h >> 8')} as url,
            {_pick(['/', '/pricing', '/blog/dbt-tips', '/customers', '/docs/api', '/demo', '/about'], 'h >> 8')} as path,
            null as referrer,
            '{{"title": "Acme Analytics", "duration_s": ' || cast(1 + (h >> 16) % 3 as varchar) || '}}' as properties,
            user_agent,
            strftime(event_at, '%Y-%m-%dT%H:%M:%S') || 'Z' as timestamp,
            event_at + to_seconds(cast(30 + (h >> 24) % 1800 as bigint)) as _loaded_at,
            'bot_events_sql' as source
        from timed
        """

    def unknown_visitor_events_sql(self, leads: int) -> str:
        per_day = leads * RATES["unknown_anonymous_id"] / self.params_days
        paths = ["/", "/pricing", "/blog/modern-data-stack", "/blog/dbt-tips", "/docs/getting-started", "/customers",
                 "/careers", "/product/dashboards"]
        return f"""
        with v as (
            select *,
                'v' || substr(md5('{self.seed}-visitor-' || d || '-' || k), 1, 19) as anonymous_id,
                {_pick(BROWSERS, self.h('d', 'k', "'vua'"))} as user_agent
            from ({self.day_counts_sql(per_day, 'anon')})
        ),
        x as (
            select *, unnest(range(cast(1 + {self.h('d', 'k', "'nv'")} % 6 as bigint))) as i from v
        ),
        e as (
            select *,
                {self.h('d', 'k', "'v'", 'i')} as h,
                timestamp '{self.start}' + to_days(cast(d as bigint))
                    + to_seconds(cast({self.h('d', 'k', "'vt'")} % 86000 + i * 97 as bigint)) as event_at
            from x
        )
        select
            'evt_v' || d || '_' || k || '_' || i as event_id,
            anonymous_id,
            null as user_id,
            null as email,
            'page' as type,
            'page_viewed' as event,
            '{WWW}' || {_pick(paths, 'h >> 8')} as url,
            {_pick(paths, 'h >> 8')} as path,
            case when (h >> 12) % 3 = 0 then 'https://www.google.com/' end as referrer,
            '{{"title": "Acme Analytics", "duration_s": ' || cast(2 + (h >> 16) % 120 as varchar) || '}}' as properties,
            user_agent,
            strftime(event_at, '%Y-%m-%dT%H:%M:%S') || 'Z' as timestamp,
            event_at + to_seconds(cast(30 + (h >> 24) % 1800 as bigint)) as _loaded_at,
            'unknown_visitor_events_sql' as source
        from e
        """
