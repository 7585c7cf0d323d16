{#- For incremental models keyed on a visitor: a scalar subquery giving the load time from which
    source rows must be reprocessed, i.e. the newest `loaded_at_column` already in {{ this }} minus
    var('incremental_lookback_days') (late or out-of-order loads). An empty target gives 1900-01-01,
    so that everything is processed. Use only inside `{% if is_incremental() %}`. -#}
{% macro incremental_reprocess_from(loaded_at_column='_loaded_at') -%}
    {%- set lookback_days = var('incremental_lookback_days', 3) | int -%}
    (
        select
            coalesce(
                {{ dbt.dateadd('day', -lookback_days, 'max(' ~ loaded_at_column ~ ')') }},
                cast('1900-01-01' as {{ dbt.type_timestamp() }})
            )
        from {{ this }}
    )
{%- endmacro %}
