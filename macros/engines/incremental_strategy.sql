{#- The incremental strategy of a model, per engine (the models' config() calls it).
    replaces='keys' (default): a run recomputes whole keys (a row id, a visitor, ...) and their new rows
    replace the old ones. DuckDB and PostgreSQL: delete+insert on the unique_key. Spark on plain parquet
    tables (no Delta/Iceberg: no row deletes, no merge): 'rewrite', this project's strategy
    (spark_rewrite_sql): the table is rewritten as its rows of the keys not recomputed plus the new rows.
    replaces='date_partitions': a run recomputes whole days of `partition_by` (incremental_partition_by).
    DuckDB and PostgreSQL: delete+insert on the day; Spark: insert_overwrite of those date partitions. -#}
{% macro incremental_strategy(replaces='keys') -%}
    {{ return(adapter.dispatch('incremental_strategy', 'leadscore')(replaces)) }}
{%- endmacro %}

{% macro default__incremental_strategy(replaces='keys') -%}
    {{ return('delete+insert') }}
{%- endmacro %}

{% macro spark__incremental_strategy(replaces='keys') -%}
    {{ return('insert_overwrite' if replaces == 'date_partitions' else 'rewrite') }}
{%- endmacro %}


{#- partition_by of a model whose runs replace whole days (incremental_strategy('date_partitions')):
    the day column on Spark, none elsewhere (DuckDB and PostgreSQL tables are not partitioned). -#}
{% macro incremental_partition_by(column) -%}
    {{ return(adapter.dispatch('incremental_partition_by', 'leadscore')(column)) }}
{%- endmacro %}

{% macro default__incremental_partition_by(column) -%}
    {{ return(none) }}
{%- endmacro %}

{% macro spark__incremental_partition_by(column) -%}
    {{ return([column]) }}
{%- endmacro %}


{#- dbt-spark's incremental materialization asks these two (root-project macros take precedence over the
    adapter's). On plain parquet tables dbt-spark has append and insert_overwrite (merge needs Delta,
    Iceberg or Hudi); this project adds 'rewrite'. -#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) -%}
    {%- if raw_strategy not in ['rewrite', 'append', 'insert_overwrite'] -%}
        {{ exceptions.raise_compiler_error(
            "incremental strategy " ~ raw_strategy ~ " on Spark " ~ file_format ~ " tables: use "
            ~ "leadscore.incremental_strategy() (rewrite or insert_overwrite), or append") }}
    {%- endif -%}
    {{ return(raw_strategy) }}
{%- endmacro %}

{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) -%}
    {%- if strategy == 'rewrite' -%}
        {{ return(leadscore.spark_rewrite_sql(source, target, unique_key)) }}
    {%- elif strategy == 'append' -%}
        {{ return(get_insert_into_sql(source, target)) }}
    {%- endif -%}
    {{ return(get_insert_overwrite_sql(source, target, existing)) }}
{%- endmacro %}


{#- The 'rewrite' strategy: `source` (the run's new rows, a view that may read `target`) is first
    combined with the target's rows of the other keys into a new table, which then overwrites the target
    (Spark cannot overwrite a table it reads in the same statement), and is dropped. Same rows as
    delete+insert on unique_key (a row whose key is null is never replaced, as there). Returns the final
    statement (a metadata refresh); the others run while it is rendered. -#}
{% macro spark_rewrite_sql(source, target, unique_key) -%}
    {%- if not unique_key -%}
        {{ exceptions.raise_compiler_error("incremental strategy 'rewrite' needs a unique_key") }}
    {%- endif -%}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='quoted') | join(', ') -%}
    {%- set next = target.incorporate(path={'identifier': target.identifier ~ '__dbt_next'}) -%}
    {%- set match -%}
        {%- for key in keys %}{% if not loop.first %} and {% endif %}kept.{{ key }} = recomputed.{{ key }}{% endfor -%}
    {%- endset -%}
    {%- do run_query('drop table if exists ' ~ next) -%}
    {%- call statement('rewrite_next') -%}
        create table {{ next }} using parquet as
        select {{ columns }} from {{ target }} as kept
        left anti join {{ source }} as recomputed on {{ match }}
        union all
        select {{ columns }} from {{ source }}
    {%- endcall -%}
    {%- call statement('rewrite_overwrite') -%}
        insert overwrite table {{ target }} select {{ columns }} from {{ next }}
    {%- endcall -%}
    {%- do run_query('drop table if exists ' ~ next) -%}
    {{ return('refresh table ' ~ target) }}
{%- endmacro %}
