{#- dbt's hook for a generic test's `where` config (this project's version replaces dbt's own).
    Besides the test's `where`, when var('data_tests_on_new_loads_only') is true the model a test is
    attached to is checked on its newly loaded rows only, if it has a `_loaded_at` column: the rows
    loaded in the last var('incremental_lookback_days') days before its newest load, i.e. the rows an
    incremental run has just (re)processed. The daily job sets the var, so that its tests do not scan
    100M events every day; `dbt build` without it (CI, full builds) tests every row. A uniqueness test
    then checks the new rows among themselves, not against older ones. -#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- if config.get('where', '') -%}
        {%- do conditions.append(config.get('where')) -%}
    {%- endif -%}
    {%- if leadscore.tests_new_loads_of(relation) -%}
        {%- set lookback_days = var('incremental_lookback_days', 3) | int -%}
        {%- do conditions.append(
            '_loaded_at >= (select ' ~ dbt.dateadd('day', -1 * lookback_days, 'max(_loaded_at)')
            ~ ' from ' ~ relation ~ ')'
        ) -%}
    {%- endif -%}
    {%- if conditions -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ conditions | join(' and ') ~ ') dbt_subquery') -%}
    {%- endif -%}
    {%- do return(relation) -%}
{%- endmacro %}


{#- Whether the current test checks only the new loads of `relation`: the var is on, `relation` is
    the model the test is attached to (not, say, the parent of a relationships test) and that model
    documents a `_loaded_at` column. -#}
{% macro tests_new_loads_of(relation) -%}
    {%- if not var('data_tests_on_new_loads_only', false) or not execute -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set attached = graph.nodes.get(model.get('attached_node') or '') -%}
    {%- if attached is none or attached.get('resource_type') not in ('model', 'seed', 'snapshot') -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set name = attached.get('alias') or attached.get('name') -%}
    {{ return(
        relation.identifier is not none
        and relation.identifier | lower == name | lower
        and '_loaded_at' in attached.get('columns', {})
    ) }}
{%- endmacro %}
