{#- Where the learned weights come from: 'python' (the dbt Python models int_logistic_regression_fit
    and int_woe_scorecard_fit, on DuckDB: var enable_python_models, default true), 'cli' (the tables
    `leadscore fit` wrote from the same code on PostgreSQL or Spark, staged by the stg_learned__ views:
    var learned_weights_from_cli) or none (no learned weights: no logistic contender, scorecard weight 1). -#}
{% macro learned_weights_from() -%}
    {%- if evaluation_setting('enable_python_models') -%}
        {{ return('python') }}
    {%- elif var('learned_weights_from_cli', false) -%}
        {{ return('cli') }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}


{#- The fitted model of `kind` (logistic_regression or woe_scorecard) from where learned_weights_from()
    says: ref('int_<kind>_fit') or ref('stg_learned__<kind>_fit'). -#}
{% macro learned_fit(kind) -%}
    {%- if kind not in ['logistic_regression', 'woe_scorecard'] -%}
        {{ exceptions.raise_compiler_error("learned_fit: unknown kind '" ~ kind ~ "'") }}
    {%- endif -%}
    {%- if learned_weights_from() == 'cli' -%}
        {{ return(ref('stg_learned__' ~ kind ~ '_fit')) }}
    {%- endif -%}
    {{ return(ref('int_' ~ kind ~ '_fit')) }}
{%- endmacro %}


{#- The body of a stg_learned__ view's import CTE: the rows of the table `leadscore fit` wrote to source
    `learned`, or, before the first fit (no such table yet), no rows with the view's documented columns. -#}
{% macro learned_fit_rows(table_name) -%}
    {%- set fit_source = source('learned', table_name) -%}
    {%- set fit_table = load_relation(fit_source) if execute else fit_source -%}
    {%- if fit_table is none %}
    select
        {%- for column in documented_columns() %}
        null as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (select 1 as no_fit) as no_fit_yet
    where no_fit_yet.no_fit = 0
    {%- else %}
    select * from {{ fit_table }}
    {%- endif %}
{%- endmacro %}
