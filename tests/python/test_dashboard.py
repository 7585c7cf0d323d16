"""The dashboard in a real browser: Playwright drives Debian's chromium against a Streamlit server over a
small warehouse built with backtest cut-offs; the figures on the pages must equal the marts, and the
what-if page's figures must equal a dbt rebuild with the edited seed. Screenshots of every page are
written to the test run's directory (or $LEADSCORE_SCREENSHOT_DIR)."""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

from conftest import copy_project, copy_warehouse, dbt, query
from leadscore import warehouse
from leadscore.dashboard import source, whatif
from leadscore.dashboard.views import PAGES

pytestmark = pytest.mark.slow

CUTOFFS = {"backtest_cutoff_dates": ["2026-04-30", "2026-07-31"]}
CHROMIUM = os.environ.get("LEADSCORE_CHROMIUM", "/usr/bin/chromium")
# the network is closed: nothing in the browser may try to reach it
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WHATIF_RULE, WHATIF_POINTS = "v1_F02", 25  # a fit rule most practitioners hit: many grades move
WHATIF_CAP, WHATIF_CAP_MAX = "engagement", 40  # and v1's engagement cap lowered from 60
CONTENT_TIMEOUT_MS = 60_000


def _exclude_tests() -> list[str]:
    return ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]


@pytest.fixture(scope="module")
def dashboard_project(tmp_path_factory) -> Path:
    """A copy of the project, so its dbt target directory (the manifest the what-if reads) is ours."""
    return copy_project(tmp_path_factory.mktemp("dashboard-project"))


@pytest.fixture(scope="module")
def dashboard_warehouse(generated_warehouse, dashboard_project, tmp_path_factory) -> Path:
    """The generated sources built with two backtest cut-offs (the evaluation marts have numbers)."""
    path = copy_warehouse(generated_warehouse, tmp_path_factory.mktemp("dashboard-wh"), "dash.duckdb")
    dbt(path, "build", *_exclude_tests(), vars_=CUTOFFS, project_dir=dashboard_project)
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _target_dir(project: Path) -> Path:
    from conftest import _TARGETS
    return _TARGETS[project]


@pytest.fixture(scope="module")
def server(dashboard_warehouse, dashboard_project, tmp_path_factory):
    """`leadscore dashboard` on a free port, reading the test warehouse; yields its base URL."""
    port = _free_port()
    env = {**os.environ, warehouse.PATH_ENV: str(dashboard_warehouse), "LEADSCORE_DASHBOARD_PORT": str(port),
           whatif.TARGET_PATH_ENV: str(_target_dir(dashboard_project)),
           source.SNAPSHOT_DIR_ENV: str(tmp_path_factory.mktemp("dashboard-snapshots"))}
    log = open(tmp_path_factory.mktemp("dashboard-log") / "server.log", "w")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("leadscore")), "dashboard"], env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the dashboard did not start: {Path(log.name).read_text()[-3000:]}")
            time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"no browser at {CHROMIUM}: `make test` installs Debian's chromium (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> Path:
    wanted = os.environ.get("LEADSCORE_SCREENSHOT_DIR")
    directory = Path(wanted) if wanted else tmp_path_factory.mktemp("dashboard-screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def open_page(page, url: str, title: str):
    """Go to a page and wait past Streamlit's skeleton: its title rendered and the script run done."""
    page.goto(url)
    main = page.get_by_test_id("stMain")
    main.get_by_role("heading", name=title).first.wait_for(timeout=CONTENT_TIMEOUT_MS)
    wait_idle(page)
    return main


def wait_idle(page) -> None:
    """Wait until the app's script run is over (the status widget says running while it runs)."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=CONTENT_TIMEOUT_MS)


def metric(page, label: str) -> str:
    box = page.get_by_test_id("stMetric").filter(has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True))
    return box.get_by_test_id("stMetricValue").inner_text().strip()


def assert_no_exception(page) -> None:
    errors = page.get_by_test_id("stException")
    assert errors.count() == 0, errors.first.inner_text()


def test_every_page_renders_without_exception(server, page, screenshots):
    # a fresh server's first visitor opens a page by its path, as a bookmark does, not the default page
    for module in PAGES[1:] + PAGES[:1]:
        open_page(page, f"{server}/{module.URL_PATH}", module.TITLE)
        assert_no_exception(page)
        assert page.get_by_test_id("stAlert").filter(has_text="No backtest yet").count() == 0, module.URL_PATH
        page.wait_for_timeout(1000)  # tables and charts draw after the script run
        page.screenshot(path=str(screenshots / f"{module.URL_PATH}.png"))
    assert {p.stem for p in screenshots.glob("*.png")} >= {m.URL_PATH for m in PAGES}


def test_mql_queue_count_equals_the_marts(server, page, dashboard_warehouse):
    (mqls,), = query(dashboard_warehouse, "select count(*) from marts.fct_lead_scores where is_mql")
    (routed,), = query(dashboard_warehouse, "select count(*) from marts.fct_lead_routing")
    open_page(page, f"{server}/mql_queue", "MQL queue")
    assert mqls == routed > 0
    assert metric(page, "MQLs today") == f"{mqls:,}"
    with page.expect_download() as download:
        page.get_by_test_id("stDownloadButton").get_by_role("button").click()
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert len(rows) == mqls and {r["crm_lead_id"] for r in rows} == {
        r for r, in query(dashboard_warehouse, "select crm_lead_id from marts.fct_lead_routing")}


def test_scoring_health_auc_equals_the_marts(server, page, dashboard_warehouse):
    (contender, auc), = query(dashboard_warehouse, """select contender, roc_auc from marts.rpt_champion_challenger
                                                       where is_champion order by as_of_date desc limit 1""")
    open_page(page, f"{server}/scoring_health", "Is the scoring working?")
    assert metric(page, f"Held-out AUC · {contender} (champion)") == f"{auc:.3f}"
    assert_no_exception(page)


def test_lead_page_shows_the_leads_score(server, page, dashboard_warehouse):
    (crm_id, score, grade), = query(dashboard_warehouse, """
        select d.primary_crm_lead_id, s.total_score, s.grade from marts.fct_lead_scores as s
        inner join marts.dim_leads as d using (lead_id) order by s.total_score desc, d.primary_crm_lead_id limit 1""")
    open_page(page, f"{server}/lead?lead={crm_id}", "A lead")
    assert metric(page, "Score") == f"{float(score):.2f}"
    assert metric(page, "Grade") == grade
    assert_no_exception(page)


def _edit_csv(path: Path, is_row, column: str, value: str) -> None:
    rows = list(csv.DictReader(path.open()))
    assert sum(map(is_row, rows)) == 1
    for row in rows:
        if is_row(row):
            row[column] = value
    with path.open("w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _rebuild_with_edited_seeds(dashboard_warehouse, tmp_path) -> Path:
    """dbt itself, from a project copy whose seeds have the edits, over a copy of the warehouse."""
    project = copy_project(tmp_path / "project")
    seeds = project / "seeds" / "scoring"
    _edit_csv(seeds / "scoring_rules.csv", lambda r: r["rule_id"] == WHATIF_RULE, "points", str(WHATIF_POINTS))
    _edit_csv(seeds / "scoring_category_caps.csv",
              lambda r: (r["rule_set_version"], r["category"]) == ("v1", WHATIF_CAP), "max_points", str(WHATIF_CAP_MAX))
    rebuilt = copy_warehouse(dashboard_warehouse, tmp_path, "rebuilt.duckdb")
    chain = [f"{seed}+,+{model}" for seed in whatif.EDITABLE_SEEDS for model in whatif.FIGURE_MODELS]
    dbt(rebuilt, "build", "--select", *whatif.EDITABLE_SEEDS, *chain, *_exclude_tests(), vars_=CUTOFFS,
        project_dir=project)
    return rebuilt


def _rebuild_figures(built: Path, rebuilt: Path) -> dict[str, str]:
    with duckdb.connect() as con:
        con.execute(f"attach '{built}' as built (read_only)")
        con.execute(f"attach '{rebuilt}' as rebuilt (read_only)")
        (grades, new, lost), = con.execute("""
            select count(*) filter (where a.grade is distinct from b.grade),
                   count(*) filter (where a.is_mql and not b.is_mql), count(*) filter (where b.is_mql and not a.is_mql)
            from built.intermediate.int_lead_scores_by_date as b
            inner join rebuilt.intermediate.int_lead_scores_by_date as a using (lead_id, as_of_date, rule_set_version)
            where b.rule_set_version = 'v1'
              and b.as_of_date = (select max(as_of_date) from built.marts.fct_lead_scores)""").fetchall()
        (auc,), = con.execute("""select roc_auc from rebuilt.marts.rpt_backtest_auc where contender = 'v1'
                                 and persona = 'all' and outcome = 'opportunity' order by as_of_date desc
                                 limit 1""").fetchall()
    return {"Leads changing grade": f"{grades:,}", "Leads becoming MQL": f"{new:,}",
            "Leads no longer MQL": f"{lost:,}", "Held-out AUC (edited)": f"{auc:.4f}"}


def test_what_if_equals_a_rebuild_with_the_edited_seed(server, page, dashboard_warehouse, tmp_path, screenshots):
    open_page(page, f"{server}/what_if?rule_set=v1&rule={WHATIF_RULE}", "What if")
    points = page.get_by_label("Points")
    points.fill(str(WHATIF_POINTS))
    points.press("Enter")
    wait_idle(page)
    page.get_by_test_id("stSelectbox").filter(has_text="Category cap").click()
    page.get_by_role("option", name=WHATIF_CAP, exact=True).click()
    wait_idle(page)
    cap = page.get_by_label("Cap: maximum points")
    cap.fill(str(WHATIF_CAP_MAX))
    cap.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Run what-if").click()
    page.get_by_test_id("stMetricLabel").get_by_text("Leads changing grade").wait_for(timeout=CONTENT_TIMEOUT_MS)
    wait_idle(page)
    assert_no_exception(page)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(screenshots / "what_if_result.png"))
    shown = {label: metric(page, label) for label in
             ("Leads changing grade", "Leads becoming MQL", "Leads no longer MQL", "Held-out AUC (edited)")}
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the edited scoring_rules.csv").click()
    edited = {r["rule_id"]: r for r in csv.DictReader(io.StringIO(Path(download.value.path()).read_text()))}
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the edited scoring_category_caps.csv").click()
    caps = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))

    expected = _rebuild_figures(dashboard_warehouse, _rebuild_with_edited_seeds(dashboard_warehouse, tmp_path))
    assert shown == expected
    assert int(shown["Leads changing grade"].replace(",", "")) > 0  # the case moves leads: not a no-op
    original = {r["rule_id"]: r for r in csv.DictReader(
        (warehouse.PROJECT_ROOT / "seeds" / "scoring" / "scoring_rules.csv").open())}
    assert edited[WHATIF_RULE]["points"] == str(WHATIF_POINTS)
    original_caps = list(csv.DictReader((warehouse.PROJECT_ROOT / "seeds" / "scoring" / "scoring_category_caps.csv").open()))
    changed = [(a, b) for a, b in zip(caps, original_caps) if a != b]
    assert len(caps) == len(original_caps) and len(changed) == 1
    assert changed[0][0] == {**changed[0][1], "max_points": str(WHATIF_CAP_MAX)}
    assert {k: v for k, v in edited.items() if k != WHATIF_RULE} == \
        {k: v for k, v in original.items() if k != WHATIF_RULE}


def _render_page(url_path: str):
    """An AppTest script: the source notice, then one page (as app.py does, without a browser)."""
    from leadscore.dashboard import common
    from leadscore.dashboard.views import PAGES

    if common.load_source() is not None:
        next(p for p in PAGES if p.URL_PATH == url_path).render()


def _app_test(url_path: str):
    from streamlit.testing.v1 import AppTest

    return AppTest.from_function(_render_page, args=(url_path,), default_timeout=60).run()


def _hold_write_lock(path: Path) -> subprocess.Popen:
    """Another process writing the warehouse, as a running build does; it holds the lock until killed."""
    proc = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time\n"
        f"con = duckdb.connect({str(path)!r})\n"
        "con.execute('create or replace table main.dashboard_lock_probe as select 1 as x')\n"
        "print('locked', flush=True)\n"
        "time.sleep(120)\n")], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


@pytest.mark.parametrize("state, notice", [
    ("missing", "No warehouse at"),
    ("empty", "has no marts yet"),
    ("no_scores", "holds no scored leads"),
    ("busy", "The warehouse is busy"),
])
def test_notice_instead_of_a_traceback(state, notice, tmp_path, monkeypatch):
    path = tmp_path / "warehouse.duckdb"
    if state in ("empty", "no_scores", "busy"):
        with duckdb.connect(str(path)) as con:
            if state == "no_scores":
                con.execute("create schema marts")
                con.execute("create table marts.fct_lead_scores (lead_id varchar, as_of_date date, is_mql boolean)")
    monkeypatch.setenv(warehouse.PATH_ENV, str(path))
    monkeypatch.setenv(source.SNAPSHOT_DIR_ENV, str(tmp_path / "snapshots"))
    holder = _hold_write_lock(path) if state == "busy" else None
    try:
        app = _app_test("mql_queue")
    finally:
        if holder:
            holder.kill()
            holder.wait()
    assert not app.exception
    assert len(app.warning) == 1 and notice in app.warning[0].value


def test_no_backtest_notice_on_a_warehouse_built_without_cutoffs(built_warehouse, tmp_path, monkeypatch):
    # a plain build picks backtest cut-offs from the data; an empty list means no backtest
    path = copy_warehouse(built_warehouse, tmp_path)
    dbt(path, "run", "--select", "int_backtest_cutoffs+", vars_={"backtest_cutoff_dates": []})
    assert query(path, "select count(*) from marts.rpt_champion_challenger") == [(0,)]
    monkeypatch.setenv(warehouse.PATH_ENV, str(path))
    monkeypatch.setenv(source.SNAPSHOT_DIR_ENV, str(tmp_path / "snapshots"))
    for url_path in ("scoring_health", "threshold_capacity"):
        app = _app_test(url_path)
        assert not app.exception, url_path
        assert any("No backtest yet" in info.value for info in app.info), url_path


def test_locked_warehouse_shows_the_last_snapshot_with_its_time(server, page, dashboard_warehouse):
    (mqls,), = query(dashboard_warehouse, "select count(*) from marts.fct_lead_scores where is_mql")
    open_page(page, f"{server}/mql_queue", "MQL queue")  # the dashboard has a snapshot of this version
    holder = _hold_write_lock(dashboard_warehouse)
    try:
        open_page(page, f"{server}/mql_queue", "MQL queue")
        notice = page.get_by_test_id("stAlert").filter(has_text="A build is writing the warehouse right now")
        assert notice.count() == 1
        assert " UTC" in notice.inner_text()
        assert metric(page, "MQLs today") == f"{mqls:,}"
        assert_no_exception(page)
    finally:
        holder.kill()
        holder.wait()
    with duckdb.connect(str(dashboard_warehouse)) as con:
        con.execute("drop table main.dashboard_lock_probe")


def test_exposures_point_at_the_dashboards_pages():
    import yaml

    exposures = yaml.safe_load((warehouse.PROJECT_ROOT / "models" / "marts" / "_dashboard__exposures.yml").read_text())
    urls = {e["url"] for e in exposures["exposures"]}
    assert urls == {f"http://127.0.0.1:8501/{m.URL_PATH}" for m in PAGES[1:]}
    assert all(e["owner"].get("email") and e["depends_on"] for e in exposures["exposures"])


def test_threshold_page_figures_equal_the_sweep(server, page, dashboard_warehouse):
    (threshold,), = query(dashboard_warehouse, """select cast(threshold as double) from seeds.scoring_mql_thresholds
                                                   where rule_set_version = 'v1' and persona = 'all'""")
    (volume, recall), = query(dashboard_warehouse, """
        select mql_volume, conversion_recall from marts.rpt_backtest_threshold_sweep
        where contender = 'v1' and persona = 'all' and threshold = ?
          and as_of_date = (select max(as_of_date) from marts.rpt_backtest_threshold_sweep)""", [threshold])
    open_page(page, f"{server}/threshold_capacity", "Threshold and capacity")
    assert metric(page, "MQLs at the cut-off") == f"{volume:,}"
    assert metric(page, "Conversions captured") == f"{100 * recall:.1f}%"
    assert_no_exception(page)


def test_what_if_plan_is_the_scoring_chain_and_refuses_a_manifest_without_compiled_sql(dashboard_warehouse,
                                                                                      dashboard_project):
    import json

    manifest = json.loads((_target_dir(dashboard_project) / "manifest.json").read_text())
    plan = whatif.load_plan(manifest)
    names = [node.name for node in plan.nodes]
    assert names.index("int_scoring_rules") < names.index("int_lead_rule_hits") \
        < names.index("int_lead_score_contributions") < names.index("int_lead_scores_by_date") \
        < names.index("rpt_backtest_auc")
    assert "fct_lead_scores" not in names  # only what lies between the seeds and the figures
    manifest["nodes"]["model.leadscore.int_lead_rule_hits"]["compiled_code"] = None
    with pytest.raises(whatif.WhatIfUnavailable, match="no compiled SQL for int_lead_rule_hits"):
        whatif.load_plan(manifest)
