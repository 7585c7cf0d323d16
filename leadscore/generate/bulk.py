"""Bulk writing of the big event tables: rows expanded chunk by chunk of people in NumPy, hashed as DuckDB
hashes, handed to DuckDB as Arrow streams while a worker thread prepares the next chunk."""

from __future__ import annotations

import itertools
import queue
import threading

import numpy as np
import pyarrow as pa


WEB_CHUNK_ROWS = 3_000_000  # expanded rows per chunk of people (bounds memory: at most three chunks are held)
ARROW_BATCH_ROWS = 1 << 18  # rows per Arrow record batch: the unit DuckDB's scan parallelises over
# Chunks written by one INSERT (over an Arrow stream). At 1M leads (32 chunks): one INSERT per chunk took 335 s
# of CPU, one per 4 chunks 287 s, one per 8 chunks 317 s, and one for all 393 s (DuckDB's work per statement
# grows with the rows a transaction holds; each statement also commits a half-filled row group).
CHUNKS_PER_INSERT = 4


def chunk_ends(rows_per_person: np.ndarray, rows_per_chunk: int) -> list[int]:
    """End (exclusive) of each chunk of people, so that a chunk expands to about `rows_per_chunk` rows."""
    cum = np.cumsum(rows_per_person)
    ends, start = [], 0
    while start < len(cum):
        before = cum[start - 1] if start else 0
        end = min(max(int(np.searchsorted(cum, before + rows_per_chunk, side="right")), start + 1), len(cum))
        ends.append(end)
        start = end
    return ends


class _Dictionary:
    """Distinct strings and the index of each (Arrow dictionaries must not repeat a value)."""

    def __init__(self):
        self.values: list[str] = []
        self.index: dict[str, int] = {}

    def add(self, value: str) -> int:
        if value not in self.index:
            self.index[value] = len(self.values)
            self.values.append(value)
        return self.index[value]

    def array(self) -> pa.Array:
        return pa.array(self.values, type=pa.string())


class RowHasher:
    """DuckDB's `hash(seed, x, y, ...)` in NumPy, for integer columns and columns of a few constant strings:
    the same bits as the SQL generators use, so every row stays a pure function of its key. Each argument
    signature is checked against DuckDB itself on a sample before it is trusted."""

    M = np.uint64(0xD6E8FEB86659FD93)

    def __init__(self, con, seed: int):
        self.con, self.seed = con, seed
        small = -(2**31) <= seed < 2**31  # a SQL literal of this size is an INTEGER, else a BIGINT
        self.seed_hash = self._mix(np.array([seed & (0xFFFFFFFF if small else 0xFFFFFFFFFFFFFFFF)], dtype=np.uint64))[0]
        self.checked: set[tuple[str, ...]] = set()

    @classmethod
    def _mix(cls, x: np.ndarray) -> np.ndarray:
        x = x.copy()
        x ^= x >> np.uint64(32)
        x *= cls.M
        x ^= x >> np.uint64(32)
        x *= cls.M
        x ^= x >> np.uint64(32)
        return x

    def string_hashes(self, values: list[str]) -> np.ndarray:
        rows = self.con.execute("select hash(v) from unnest(?::varchar[]) with ordinality as t(v, o) order by o",
                                [values]).fetchall()
        return np.array([r[0] for r in rows], dtype=np.uint64)

    def hash(self, *cols) -> np.ndarray:
        """hash(seed, *cols); each col is ("bigint", int array), ("integer", int array) or
        ("varchar", (codes, strings)) for a column of strings given as codes into a short list."""
        with np.errstate(over="ignore"):
            acc = np.full(len(cols[0][1] if cols[0][0] != "varchar" else cols[0][1][0]), self.seed_hash, dtype=np.uint64)
            for type_, values in cols:
                if type_ == "bigint":
                    vh = self._mix(values.astype(np.int64).view(np.uint64))
                elif type_ == "integer":
                    vh = self._mix(values.astype(np.int32).view(np.uint32).astype(np.uint64))
                else:
                    codes, strings = values
                    vh = self.string_hashes(list(strings))[codes]
                acc ^= acc >> np.uint64(32)
                acc *= self.M
                acc ^= vh
        signature = tuple(t for t, _ in cols)
        if signature not in self.checked and len(acc):
            self.check(cols, acc)
            self.checked.add(signature)
        return acc

    def check(self, cols, got: np.ndarray) -> None:
        n = min(len(got), 2000)
        data = {}
        for j, (type_, values) in enumerate(cols):
            if type_ == "varchar":
                codes, strings = values
                data[f"c{j}"] = pa.array(np.array(strings, dtype=object)[codes[:n]].tolist(), type=pa.string())
            else:
                data[f"c{j}"] = pa.array(values[:n].astype(np.int64 if type_ == "bigint" else np.int32))
        data["o"] = pa.array(np.arange(n))
        self.con.register("hash_sample", pa.table(data))
        args = ", ".join(f"c{j}" for j in range(len(cols)))
        want = self.con.execute(f"select hash({self.seed}, {args}) as h from hash_sample order by o").fetchnumpy()["h"]
        self.con.unregister("hash_sample")
        if not np.array_equal(np.asarray(want, dtype=np.uint64), got[:n]):
            raise RuntimeError("NumPy row hash differs from DuckDB's hash(): this DuckDB version hashes differently")


def string_buffers(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """The offsets and data of a string column without nulls, as NumPy arrays (for the kernels)."""
    array = column.combine_chunks().cast(pa.string())
    if array.null_count:
        raise ValueError("string_buffers: the column has nulls")
    _validity, offsets, data = array.buffers()
    offsets = np.frombuffer(offsets, dtype=np.int32)[array.offset:array.offset + len(array) + 1]
    return offsets, np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, dtype=np.uint8)


def cast_double_texts(values: list[float]) -> list[str]:
    """DuckDB's own text for these doubles (cast(x as varchar)), so the JSON reads as the SQL would write it."""
    import duckdb

    with duckdb.connect() as con:
        return [r[0] for r in con.execute("select cast(unnest(?::double[]) as varchar)", [values]).fetchall()]


class _Prefetcher:
    """Runs `produce(k)` for k in range(n) on a worker thread, at most one result waiting to be taken:
    `results()` yields (k, result) in order and raises the worker's error, if any, at its end."""

    def __init__(self, name: str, n: int, produce):
        self.n = n
        self.produce = produce
        self.ready: queue.Queue = queue.Queue(maxsize=1)
        self.stop = threading.Event()
        self.failed: list[BaseException] = []
        self.worker = threading.Thread(target=self._work, name=name, daemon=True)

    def start(self) -> None:
        self.worker.start()

    def _work(self) -> None:
        try:
            for k in range(self.n):
                if self.stop.is_set():
                    return
                item = (k, self.produce(k))
                while not self.stop.is_set():
                    try:
                        self.ready.put(item, timeout=0.5)
                        break
                    except queue.Full:
                        continue
        except BaseException as e:  # handed to the reader, which raises it
            self.failed.append(e)
        finally:
            self.ready.put((None, None))

    def results(self):
        while True:
            k, item = self.ready.get()
            if k is None:
                if self.failed:
                    raise self.failed[0]
                return
            yield k, item

    def close(self) -> None:
        """Stop the worker (it may wait to put a result: take them) and wait for it to end."""
        self.stop.set()
        while self.worker.is_alive():
            try:
                self.ready.get(timeout=0.1)
            except queue.Empty:
                pass
        self.worker.join()


class BulkWriter:
    """Chunked Arrow inserts (needs `self.con`, `self.seed`, `self.progress` and `self.save_mess`)."""

    def write_expanded(self, table: str, p: pa.Table, counts: np.ndarray, prepare, mess_table: str,
                       select_sql: str) -> int:
        """Write rows chunk by chunk of people, CHUNKS_PER_INSERT chunks per INSERT reading an Arrow stream: a
        worker thread prepares chunk k+1 while DuckDB writes chunk k. `prepare(people, counts, cursor, hasher)`
        returns (Arrow table or None, mess arrays); the mess (person_id, kind, i, mess code) of all chunks goes
        to the temp table `mess_table`."""
        ends = chunk_ends(counts.sum(axis=1), WEB_CHUNK_ROWS)
        starts = [0] + ends[:-1]
        cur = self.con.cursor()  # the worker's own connection: prepare runs small queries (hashes of strings, ...)
        hasher = RowHasher(cur, self.seed)
        prefetch = _Prefetcher(f"prepare {table}", len(ends), lambda k: prepare(
            p.slice(starts[k], ends[k] - starts[k]), counts[starts[k]:ends[k]], cur, hasher))
        mess: list[tuple[np.ndarray, ...]] = []
        written = 0

        def tables():
            nonlocal written
            for k, (chunk, chunk_mess) in prefetch.results():
                mess.append(chunk_mess)
                if chunk is not None:
                    yield chunk
                    written += chunk.num_rows
                self.progress(f"{table}: {written:,} rows ({ends[k]:,}/{p.num_rows:,} people)")

        prefetch.start()
        try:
            self.insert_stream(table, tables(), select_sql, prefetch.failed)
        finally:
            prefetch.close()
        cur.close()
        self.save_mess(mess_table, mess)
        return written

    def insert_stream(self, table: str, chunks, select_sql: str, failed: list[BaseException]) -> None:
        """INSERT the Arrow tables of `chunks`, CHUNKS_PER_INSERT of them per statement, into `table` through
        `select_sql` (reading the stream as `chunk`). An error of the worker (in `failed`) wins over DuckDB's
        report of the broken stream."""
        con = self.con
        while (first := next(chunks, None)) is not None:
            group = itertools.chain([first], itertools.islice(chunks, CHUNKS_PER_INSERT - 1))
            batches = (b for t in group for b in t.to_batches())
            con.register("chunk", pa.RecordBatchReader.from_batches(first.schema, batches))
            try:
                con.execute(f"insert into {table} by name {select_sql}")
            except Exception:
                if failed:
                    raise failed[0] from None
                raise
            finally:
                con.unregister("chunk")
