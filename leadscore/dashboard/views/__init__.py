"""The dashboard's pages, one module each with TITLE, URL_PATH and render(); PAGES in menu order."""

from __future__ import annotations

from leadscore.dashboard.views import (data_health, home, kpis, lead, mql_queue, scoring_health,
                                       threshold_capacity, what_if)

PAGES = (home, mql_queue, lead, scoring_health, threshold_capacity, what_if, kpis, data_health)
