{#- A deterministic bucket in [0, buckets) from a text key, for splitting leads between rule sets. -#}
{% macro hash_bucket(expr, buckets) -%}
    {{ return(adapter.dispatch('hash_bucket', 'leadscore')(expr, buckets)) }}
{%- endmacro %}

{#- DuckDB: the first 8 hex digits of the md5 as an integer (stable across versions and platforms). -#}
{% macro duckdb__hash_bucket(expr, buckets) -%}
    cast(('0x' || substr(md5({{ expr }}), 1, 8))::ubigint % {{ buckets }} as integer)
{%- endmacro %}

{% macro default__hash_bucket(expr, buckets) -%}
    cast(('x' || substr(md5({{ expr }}), 1, 7))::bit(28)::integer % {{ buckets }} as integer)
{%- endmacro %}

{% macro spark__hash_bucket(expr, buckets) -%}
    cast(pmod(conv(substr(md5({{ expr }}), 1, 8), 16, 10), {{ buckets }}) as int)
{%- endmacro %}
