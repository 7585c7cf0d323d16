{#- Start of the load window an incremental staging model (re)processes: the newest `_loaded_at` already
    in the model minus var('incremental_lookback_days'), as a SQL timestamp literal. Null on a full
    refresh (or when the model is empty: everything is processed). Computed once, before the model runs,
    so the source filter is a constant the warehouse can prune on. -#}
{% macro incremental_window_start(loaded_at_column='_loaded_at') -%}
    {#- `this` is none when a unit test compiles the model: unit tests run the full-refresh branch. -#}
    {%- if this is none or not execute or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set lookback_days = var('incremental_lookback_days', 3) | int -%}
    {%- set sql -%}
        select cast({{ dbt.dateadd('day', -1 * lookback_days, 'max(' ~ loaded_at_column ~ ')') }} as {{ dbt.type_string() }})
        from {{ this }}
    {%- endset -%}
    {%- set value = run_query(sql).columns[0].values()[0] -%}
    {%- if value is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("cast('" ~ value ~ "' as " ~ dbt.type_timestamp() ~ ")") }}
{%- endmacro %}


{#- `where` clause keeping the raw rows of the load window (nothing on a full refresh). -#}
{% macro load_window_filter(window_start, loaded_at_column='_loaded_at') -%}
    {%- if window_start is not none -%}
        where {{ loaded_at_column }} >= {{ window_start }}
    {%- endif -%}
{%- endmacro %}
