"""Several scoring models side by side (seed scoring_models): the scoring marts hold a row per lead and
model; the readers that show one row per lead (`leadscore summary`, the dashboard) show the default model."""

from __future__ import annotations


def default_model_filter(alias: str = "") -> str:
    """SQL condition: the row (of a mart with a scoring_model column, optionally aliased `alias.`) is of
    the default scoring model, the one row of seed scoring_models with is_default true."""
    return (f"{alias}scoring_model = (select max(trim(scoring_model)) from seeds.scoring_models "
            "where lower(trim(is_default)) = 'true')")
