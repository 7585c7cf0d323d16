"""Is the incremental build the same as a full refresh? Fingerprints of every model table, compared."""

from __future__ import annotations

from pathlib import Path

MODEL_SCHEMAS = ("staging", "intermediate", "marts")


def _hash_expr(col: str, type_: str) -> str:
    q = '"' + col.replace('"', '""') + '"'
    # Floating-point sums computed in parallel may differ in the last bits between runs.
    if type_.upper() in ("DOUBLE", "FLOAT", "REAL"):
        return f"round({q}, 6)"
    return q


def fingerprint_warehouse(path: Path, memory_limit: str, threads: int, ignore: set[str]) -> dict:
    """A fingerprint of every relation in the model schemas: its kind (table/view) and columns, and for
    every table its row count, an order-independent hash of all its rows (`sum(hash(all columns))`) and
    one such hash per column. Two warehouses hold the same results when their fingerprints are equal;
    views are matched by name and columns only (they are the same SQL over tables compared here)."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    con.execute(f"set memory_limit = '{memory_limit}'")
    con.execute(f"set threads = {int(threads)}")
    schemas = ", ".join(f"'{s}'" for s in MODEL_SCHEMAS)
    relations = con.execute(
        f"select table_schema, table_name, table_type from information_schema.tables "
        f"where table_catalog = current_database() and table_schema in ({schemas}) order by 1, 2").fetchall()
    out: dict[str, dict] = {}
    for s, t, kind in relations:
        cols = con.execute(
            "select column_name, data_type from information_schema.columns where table_catalog = current_database() "
            "and table_schema = ? and table_name = ? order by ordinal_position", [s, t]).fetchall()
        entry: dict = {"kind": kind, "columns": [list(c) for c in cols]}
        if kind == "BASE TABLE":
            kept = [(c, ty) for c, ty in cols if c.lower() not in ignore]
            exprs = [_hash_expr(c, ty) for c, ty in kept]
            sums = ", ".join(f"coalesce(sum(hash({e})), 0)" for e in exprs)
            row = con.execute(
                f'select count(*), coalesce(sum(hash({", ".join(exprs) or "1"})), 0)'
                + (f", {sums}" if sums else "") + f' from "{s}"."{t}"').fetchone()
            entry.update(rows=row[0], hash=str(row[1]), column_hashes={c: str(h) for (c, _), h in zip(kept, row[2:])})
        out[f"{s}.{t}"] = entry
    con.close()
    return out


def compare_fingerprints(inc: dict, ref: dict, ignore: set[str] = frozenset()) -> dict:
    """Compare the fingerprint of the incremental warehouse (`inc`) with that of the full refresh (`ref`)."""
    differences: list[dict] = []
    for name in sorted(set(inc) ^ set(ref)):
        differences.append({"relation": name, "problem": f"only in {'incremental' if name in inc else 'full refresh'}"})
    per_table: dict[str, dict] = {}
    for name in sorted(set(inc) & set(ref)):
        a, b = inc[name], ref[name]
        if a["kind"] != b["kind"]:
            differences.append({"relation": name, "problem": f"type {a['kind']} vs {b['kind']}"})
            continue
        if a["columns"] != b["columns"]:
            differences.append({"relation": name, "problem": "columns differ",
                                "incremental": a["columns"], "full_refresh": b["columns"]})
            continue
        if a["kind"] != "BASE TABLE":
            continue
        equal = a["rows"] == b["rows"] and a["hash"] == b["hash"]
        per_table[name] = {"rows": a["rows"], "equal": equal}
        if not equal:
            differences.append({
                "relation": name, "problem": "content differs", "rows_incremental": a["rows"],
                "rows_full_refresh": b["rows"],
                "columns_differing": [c for c in a["column_hashes"] if a["column_hashes"][c] != b["column_hashes"].get(c)],
            })
    return {
        "equal": not differences,
        "tables_compared": len(per_table),
        "views_matched_by_name": sum(1 for n in set(inc) & set(ref) if inc[n]["kind"] == ref[n]["kind"] == "VIEW"),
        "ignored_columns": sorted(ignore),
        "tables": per_table,
        "differences": differences,
    }


def compare_warehouses(a: Path, b: Path, memory_limit: str, threads: int, ignore: set[str]) -> dict:
    """compare_fingerprints of two warehouse files (`a` incremental, `b` full refresh)."""
    return compare_fingerprints(fingerprint_warehouse(a, memory_limit, threads, ignore),
                                fingerprint_warehouse(b, memory_limit, threads, ignore), ignore)
