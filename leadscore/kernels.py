"""Row kernels of the generator, compiled by Numba: one pass over the rows of a chunk computes every column,
where NumPy would make a pass (and a temporary array) per operation. They run without the GIL, in the worker
thread that prepares the next chunk while DuckDB writes the current one.

Every value is a pure function of the row's key through DuckDB's own `hash()` (`mix`, `combine`), so the rows
are the same whatever the chunking, and the same as the SQL and NumPy code these kernels replaced wrote; the
generator checks `hash_rows` against DuckDB before it trusts the data. Unsigned arithmetic stays unsigned: each
constant is a NumPy uint64, as Numba would otherwise mix signed and unsigned integers through floats.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from numba import njit

M = np.uint64(0xD6E8FEB86659FD93)
S32 = np.uint64(32)
U = {k: np.uint64(k) for k in (3, 4, 8, 14, 16, 18, 20, 22, 24, 26, 30, 34, 40, 44, 50, 100, 300, 1500, 2000,
                               3600, 10000, 86400, 100000, 259200)}
U3, U4, U100, U300, U1500, U2000, U3600 = U[3], U[4], U[100], U[300], U[1500], U[2000], U[3600]
U10000, U86400, U100000, U259200 = U[10000], U[86400], U[100000], U[259200]
SH8, SH14, SH16, SH18, SH20, SH22, SH24 = U[8], U[14], U[16], U[18], U[20], U[22], U[24]
SH26, SH30, SH34, SH40, SH44, SH50 = U[26], U[30], U[34], U[40], U[44], U[50]

# How each web event kind's `properties` text is chosen (WebLookups.prop_rule).
PROP_PAGE, PROP_API, PROP_FEATURE, PROP_FILE, PROP_WEBINAR, PROP_SIGNUP, PROP_TRIAL, PROP_STEP, PROP_EMPTY = range(9)


EVT = np.frombuffer(b"evt_", dtype=np.uint8)
DIGIT_PAIRS = np.frombuffer("".join(f"{j:02d}" for j in range(100)).encode(), dtype=np.uint8)
# YYYY-MM-DD of every day from 1970-01-01 to 2197-11-05 (the proleptic Gregorian calendar, as DuckDB's)
DATE_TEXT_FIRST_DAY = 0
DATE_TEXT = np.frombuffer("".join(
    (dt.date(1970, 1, 1) + dt.timedelta(days=d)).isoformat() for d in range(83_220)).encode(), dtype=np.uint8)
UNDERSCORE, COLON, LETTER_T, ZERO = (np.uint8(ord(c)) for c in "_:T0")


# Text is written into the data buffer of an Arrow string array: each function writes at `pos` and returns
# the position after what it wrote.

@njit(cache=True, nogil=True)
def put_bytes(data, pos, text, start, end):
    for j in range(start, end):
        data[pos] = text[j]
        pos += 1
    return pos


@njit(cache=True, nogil=True)
def put_pair(data, pos, value):
    """`value` (0..99) in two digits."""
    data[pos] = DIGIT_PAIRS[2 * value]
    data[pos + 1] = DIGIT_PAIRS[2 * value + 1]
    return pos + 2


@njit(cache=True, nogil=True)
def put_int(data, pos, value):
    """A non-negative integer in decimal: small ones (most keys) directly, others two digits at a time."""
    if value < 10:
        data[pos] = ZERO + np.uint8(value)
        return pos + 1
    if value < 100:
        return put_pair(data, pos, value)
    digits = 3
    bound = 1000
    while value >= bound and digits < 19:
        digits += 1
        bound *= 10
    end = pos + digits
    j = end
    while j - pos >= 2:
        rest = value // 100
        put_pair(data, j - 2, value - 100 * rest)
        value = rest
        j -= 2
    if j > pos:
        data[pos] = ZERO + np.uint8(value)
    return end


@njit(cache=True, nogil=True)
def put_iso_seconds(data, pos, epoch_s):
    """YYYY-MM-DDTHH:MM:SS, as DuckDB casts the date and the time (of whole seconds) to text; the date's text
    comes from DATE_TEXT."""
    days = epoch_s // 86400
    second = epoch_s - days * 86400
    day = days - DATE_TEXT_FIRST_DAY
    if day < 0 or day >= len(DATE_TEXT) // 10:
        raise ValueError("put_iso_seconds: a date outside DATE_TEXT")
    for j in range(10):
        data[pos + j] = DATE_TEXT[10 * day + j]
    data[pos + 10] = LETTER_T
    hour = second // 3600
    minute = (second - 3600 * hour) // 60
    put_pair(data, pos + 11, hour)
    data[pos + 13] = COLON
    put_pair(data, pos + 14, minute)
    data[pos + 16] = COLON
    return put_pair(data, pos + 17, second - 3600 * hour - 60 * minute)


@njit(cache=True, nogil=True)
def id_prefixes(pids):
    """evt_<person id>_ of each person, as (offsets, data) of an Arrow string array."""
    offsets = np.zeros(len(pids) + 1, np.int32)
    data = np.empty(len(pids) * (len(EVT) + 20), np.uint8)
    pos = 0
    for p in range(len(pids)):
        pos = put_bytes(data, pos, EVT, 0, len(EVT))
        pos = put_int(data, pos, pids[p])
        data[pos] = UNDERSCORE
        pos += 1
        offsets[p + 1] = pos
    return offsets, data


@njit(cache=True, nogil=True)
def max_length(offsets):
    longest = 0
    for j in range(len(offsets) - 1):
        longest = max(longest, offsets[j + 1] - offsets[j])
    return longest


@njit(cache=True, nogil=True)
def mix(x):
    """DuckDB's hash of one 64-bit value (MurmurHash3's 64-bit finaliser without the seed)."""
    x ^= x >> S32
    x *= M
    x ^= x >> S32
    x *= M
    x ^= x >> S32
    return x


@njit(cache=True, nogil=True)
def combine(acc, value_hash):
    """DuckDB's CombineHash: how `hash(a, b, ...)` folds in each further argument."""
    acc ^= acc >> S32
    acc *= M
    return acc ^ value_hash


@njit(cache=True, nogil=True)
def web_keys(counts, pids, seed_hash, dup_below, hashes, row_p, row_k, row_i, dup):
    """The key (person's row, kind, i) and hash(seed, person_id, kind, i) of each of the `counts[p, k]` events of
    kind k of person p; and the rows delivered twice. Returns how many are."""
    n, n_kinds = counts.shape
    r = 0
    n_dup = 0
    for p in range(n):
        acc_p = combine(seed_hash, mix(np.uint64(pids[p])))
        for k in range(n_kinds):
            acc_k = combine(acc_p, mix(np.uint64(k)))
            for i in range(counts[p, k]):
                h = combine(acc_k, mix(np.uint64(i)))
                hashes[r] = h
                row_p[r] = p
                row_k[r] = k
                row_i[r] = i
                if (h >> SH24) % U10000 < dup_below:  # delivered twice
                    dup[n_dup] = r
                    n_dup += 1
                r += 1
    return n_dup


@njit(cache=True, nogil=True)
def load_delay_s(h, late_below, second):
    """(is the load late, seconds from the event to its load) of an event row: most rows load within the
    hour, late ones one to four days later; a second delivery comes 10 minutes to a day after that."""
    is_late = (h >> SH30) % U10000 < late_below
    if is_late:
        load_s = 86400 + np.int64((h >> SH34) % U259200)
    else:
        load_s = 30 + np.int64((h >> SH34) % U3600)
    if second:
        load_s += 600 + np.int64((h >> SH44) % U86400)
    return is_late, load_s


@njit(cache=True, nogil=True)
def property_text(rule, prop_base, h, neg, k, i, pid):
    """Index of the event's properties JSON among the WebLookups property texts (before the shift to the
    malformed copies): by the kind's property rule, from the row's hash, index and person."""
    if rule == PROP_PAGE:
        if neg:
            return prop_base[rule] + 400 * k + np.int64((h >> SH50) % U100)
        return prop_base[rule] + 400 * k + 100 + np.int64((h >> SH50) % U300)
    if rule == PROP_API:
        value = 0 if neg else 1 + np.int64((h >> SH50) % U2000)
        return prop_base[rule] + 2001 * np.int64((h >> SH14) % U4) + value
    if rule == PROP_FEATURE:
        return prop_base[rule] + (pid + i) % 8
    if rule == PROP_FILE:
        return prop_base[rule] + np.int64((h >> SH14) % U4)
    if rule == PROP_TRIAL:
        return prop_base[rule] + np.int64((h >> SH14) % U3)
    if rule == PROP_STEP:
        return prop_base[rule] + i
    return prop_base[rule] + 0


@njit(cache=True, nogil=True)
def put_event_id(id_data, id_pos, prefix_data, start, end, k, i):
    """Write the event id `evt_<pid>_<kind>_<i>` at id_pos (the person's `evt_<pid>_` prefix is
    prefix_data[start:end]); returns the position after it."""
    id_pos = put_bytes(id_data, id_pos, prefix_data, start, end)
    id_pos = put_int(id_data, id_pos, k)
    id_data[id_pos] = UNDERSCORE
    return put_int(id_data, id_pos + 1, i)


@njit(cache=True, nogil=True)
def web_rows(hashes, row_p, row_k, row_i, dup, n_dup,
             pids, ft_us, sessions, sess_first, sess_s, tz_minutes, tz_offsets, tz_text, devices, user_valid,
             lo_us, hi_us, late_below, mess_a, mess_b, mess_c, mess_d,
             event_of_kind, unknown_event, type_of_kind, url_offset, url_count, flat_url, flat_path,
             is_product, can_neg, prop_rule, prop_base, signed_up_kind, n_referrers, props_map, n_raw,
             person_id, kind, index, person_row, anon, user_null, email_null, type_, event, url, path, referrer,
             referrer_null, properties, loaded_at, mess, late, copy, id_offsets, id_data, ts_offsets, ts_data):
    """Every column of the events keyed by web_keys (each, then the second deliveries), for the rows loaded
    in [lo_us, hi_us), written into the given arrays: text of few values as indexes into the WebLookups
    dictionaries (and the person's row for the person's own text); the event id and the local time stamp,
    unique on each row, into the buffers of Arrow string arrays. Returns the number of rows and of bytes of
    each string buffer."""
    n = len(pids)
    total = len(hashes)
    size = total + n_dup
    prefix_offsets, prefix_data = id_prefixes(pids)
    id_pos = 0
    ts_pos = 0
    id_offsets[0] = 0
    ts_offsets[0] = 0
    o = 0
    for t in range(size):
        second = t >= total
        r = dup[t - total] if second else t
        h = hashes[r]
        p = row_p[r]
        k = row_k[r]
        i = row_i[r]
        # In one of the person's sessions; session 0 starts at the first touch.
        session = sess_first[p] + np.int64(h % np.uint64(sessions[p]))
        ev_us = ft_us[p] + 1_000_000 * (sess_s[session] + np.int64((h >> SH8) % U1500))
        is_late, load_s = load_delay_s(h, late_below, second)
        loaded_us = ev_us + 1_000_000 * load_s
        if loaded_us < lo_us or loaded_us >= hi_us:
            continue
        m = np.int64((h >> SH40) % U100000)
        unknown = m < mess_a
        malformed = mess_a <= m < mess_b
        neg = mess_b <= m < mess_c and can_neg[k]
        future = mess_c <= m < mess_d
        local = ev_us + 60_000_000 * tz_minutes[p]  # the time stamp's text is local time
        if future:
            local += 86_400_000_000 * (60 + np.int64((h >> SH20) % U300))
        flat = url_offset[k] + np.int64((h >> SH18) % np.uint64(url_count[k]))
        raw = property_text(prop_rule[k], prop_base, h, neg, k, i, pids[p])

        person_id[o] = pids[p]
        kind[o] = k
        index[o] = i
        person_row[o] = p
        anon[o] = p + n if devices[p] == 2 and (h >> SH16) % U3 == 0 else p
        user_null[o] = not (is_product[k] and user_valid[p])
        email_null[o] = k != signed_up_kind
        type_[o] = type_of_kind[k]
        if unknown:
            event[o] = unknown_event[np.int64((h >> SH14) % np.uint64(len(unknown_event)))]
        else:
            event[o] = event_of_kind[k]
        url[o] = flat_url[flat]
        path[o] = flat_path[flat]
        referrer[o] = np.int32((h >> SH26) % np.uint64(n_referrers))
        referrer_null[o] = (h >> SH22) % U4 != 0  # a referrer on a quarter of the events
        properties[o] = props_map[raw + n_raw * (1 if malformed else 0)]
        id_pos = put_event_id(id_data, id_pos, prefix_data, prefix_offsets[p], prefix_offsets[p + 1], k, i)
        id_offsets[o + 1] = id_pos
        ts_pos = put_iso_seconds(ts_data, ts_pos, local // 1_000_000)  # local time and its offset
        ts_pos = put_bytes(ts_data, ts_pos, tz_text, tz_offsets[p], tz_offsets[p + 1])
        ts_offsets[o + 1] = ts_pos
        loaded_at[o] = loaded_us
        mess[o] = 1 if unknown else 2 if malformed else 3 if neg else 4 if future else 0
        late[o] = is_late
        copy[o] = second
        o += 1
    return o, id_pos, ts_pos


@njit(cache=True, nogil=True)
def hash_rows(seed_hash, a, b, c):
    """hash(seed, a, b, c) of each row, as web_rows computes it (to check against DuckDB)."""
    out = np.empty(len(a), np.uint64)
    for r in range(len(a)):
        out[r] = combine(combine(combine(seed_hash, mix(np.uint64(a[r]))), mix(np.uint64(b[r]))), mix(np.uint64(c[r])))
    return out


# The columns web_rows writes, one value per row.
WEB_COLUMNS = {
    "person_id": np.int64, "kind": np.int32, "i": np.int64, "person_row": np.int32, "anon": np.int32,
    "user_null": np.bool_, "email_null": np.bool_, "type": np.int32, "event": np.int32, "url": np.int32,
    "path": np.int32, "referrer": np.int32, "referrer_null": np.bool_, "properties": np.int32,
    "loaded_at": np.int64,
    "mess": np.int8,  # 1 unknown event name, 2 malformed JSON, 3 negative duration, 4 time stamp in the future
    "late": np.bool_, "copy": np.bool_,
}
EVENT_ID_BYTES = 4 + 19 + 1 + 19 + 1 + 19  # evt_<person id>_<kind>_<i>, at most


def web_events(counts, people: dict, lookups, seed_hash, lo_us: int, hi_us: int, dup_below: int, late_below: int,
               mess_bounds: tuple[int, int, int, int]) -> dict:
    """The web events of a chunk of people (`counts[p, k]` events of kind k for person p): a dict of the
    WEB_COLUMNS, plus "event_id" and "timestamp" as (offsets, data) of Arrow string arrays.

    The arrays are allocated here, by NumPy (which asks the kernel for huge pages: touching fresh memory
    page by page costs more than computing the rows), and filled by web_keys and web_rows."""
    counts = np.ascontiguousarray(counts, dtype=np.int32)
    total = int(counts.sum())
    keys = (np.empty(total, np.uint64), np.empty(total, np.int32), np.empty(total, np.int32),
            np.empty(total, np.int64), np.empty(total, np.int64))
    n_dup = web_keys(counts, people["person_id"], seed_hash, np.uint64(dup_below), *keys)
    size = total + n_dup
    out = {name: np.empty(size, dtype) for name, dtype in WEB_COLUMNS.items()}
    ids = (np.empty(size + 1, np.int32), np.empty(size * EVENT_ID_BYTES, np.uint8))
    tz_offsets, tz_text = people["tz_offsets"], people["tz_text"]
    stamps = (np.empty(size + 1, np.int32), np.empty(size * (19 + max_length(tz_offsets)), np.uint8))
    L = lookups
    rows, id_bytes, stamp_bytes = web_rows(
        *keys[:4], keys[4], n_dup,
        people["person_id"], people["ft_us"], people["sessions"], people["sess_first"], people["sess_s"],
        people["tz_minutes"], tz_offsets, tz_text, people["devices"], people["user_valid"],
        lo_us, hi_us, np.uint64(late_below), *mess_bounds,
        L.event_of_kind, L.unknown_event, L.type_of_kind, L.url_offset, L.url_count, L.flat_url, L.flat_path,
        L.is_product, L.can_neg, L.prop_rule, L.prop_base, L.signed_up_kind, len(L.referrers), L.props_map,
        L.n_raw, *out.values(), ids[0], ids[1], stamps[0], stamps[1])
    result = {name: values[:rows] for name, values in out.items()}
    result["event_id"] = (ids[0][:rows + 1], ids[1][:id_bytes])
    result["timestamp"] = (stamps[0][:rows + 1], stamps[1][:stamp_bytes])
    return result
