{#- A setting of the evaluation (backtest) layer: var(name) when the project sets it, else the
    default below. One place for the defaults, so the layer works without any var set (var
    enable_python_models is also read in models/intermediate/evaluation/_evaluation__models.yml, where
    macros cannot be called; the fits' regularisation vars are set in dbt_project.yml, which
    `leadscore fit` reads too). -#}
{% macro evaluation_setting(name) -%}
    {%- set defaults = {
        'evaluation_label_window_days': 90,
        'evaluation_population_max_age_days': 90,
        'evaluation_holdout_share': 0.3,
        'evaluation_woe_max_bins': 10,
        'evaluation_woe_min_bin_leads': 30,
        'evaluation_woe_min_information_value': 0.02,
        'evaluation_woe_max_features': 30,
        'evaluation_suggested_score_quantile': 0.99,
        'evaluation_threshold_step': 5,
        'evaluation_ab_test_start_date': none,
        'enable_python_models': true,
        'sales_capacity_mqls_per_week': 10,
        'evaluation_capacity_window_days': 28,
        'evaluation_stability_bins': 10,
        'evaluation_stability_max_psi': 0.25,
        'evaluation_stability_min_leads': 300,
        'evaluation_feedback_early_negatives': true,
        'evaluation_feedback_window_days': 90,
    } -%}
    {%- if name not in defaults -%}
        {{ exceptions.raise_compiler_error("unknown evaluation setting '" ~ name ~ "'") }}
    {%- endif -%}
    {{ return(var(name, defaults[name])) }}
{%- endmacro %}
