{#- A deterministic bucket in [0, buckets) from a text key, for splitting leads between rule sets. -#}
{% macro hash_bucket(expr, buckets) -%}
    {{ return(adapter.dispatch('hash_bucket', 'leadscore')(expr, buckets)) }}
{%- endmacro %}

{#- Every engine takes the same number: the first 8 hex digits of the md5 as an unsigned 32-bit integer
    (stable across versions and platforms), so a lead lands in the same bucket, hence the same A/B arm,
    on DuckDB, PostgreSQL and Spark (tests/python/test_postgres.py and test_spark.py compare them). -#}
{% macro duckdb__hash_bucket(expr, buckets) -%}
    cast(('0x' || substr(md5({{ expr }}), 1, 8))::ubigint % {{ buckets }} as integer)
{%- endmacro %}

{#- PostgreSQL: bit(32) -> bigint keeps the 32 bits unsigned. -#}
{% macro default__hash_bucket(expr, buckets) -%}
    cast(('x' || substr(md5({{ expr }}), 1, 8))::bit(32)::bigint % {{ buckets }} as integer)
{%- endmacro %}

{% macro spark__hash_bucket(expr, buckets) -%}
    cast(pmod(cast(conv(substr(md5({{ expr }}), 1, 8), 16, 10) as bigint), {{ buckets }}) as int)
{%- endmacro %}
