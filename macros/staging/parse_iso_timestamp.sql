{#- Parse ISO-8601 text with an optional time-zone offset ('2026-03-04T10:15:22.123+02:00', '...Z')
    into a UTC `timestamp` (no time zone). Text without an offset is taken as UTC. Text that cannot be
    parsed gives null (the staging rule `unparseable_timestamp` catches it). -#}
{% macro parse_iso_timestamp(text_expr) -%}
    {{ return(adapter.dispatch('parse_iso_timestamp', 'leadscore')(text_expr)) }}
{%- endmacro %}

{#- DuckDB: the cast to timestamptz applies the offset; epoch_us -> make_timestamp turns the instant into a
    plain UTC timestamp without depending on the session TimeZone. An offset can only follow the time part,
    so a '+'/'-' after position 11 (or a trailing 'Z') marks it; without one the text is parsed as UTC. -#}
{% macro duckdb__parse_iso_timestamp(text_expr) -%}
    case
        when
            contains(substr({{ text_expr }}, 12), '+')
            or contains(substr({{ text_expr }}, 12), '-')
            or upper(right({{ text_expr }}, 1)) = 'Z'
            then make_timestamp(epoch_us(try_cast({{ text_expr }} as timestamptz)))
        else try_cast({{ text_expr }} as timestamp)
    end
{%- endmacro %}

{#- PostgreSQL (and the default): no try_cast, so only text shaped like ISO-8601 is cast. -#}
{% macro default__parse_iso_timestamp(text_expr) -%}
    case
        when
            {{ text_expr }}
            ~ '^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?\s*([Zz]|[+-]\d{2}(:?\d{2})?)$'
            then cast(cast({{ text_expr }} as timestamptz) at time zone 'UTC' as timestamp)
        when
            {{ text_expr }}
            ~ '^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?$'
            then cast({{ text_expr }} as timestamp)
    end
{%- endmacro %}

{#- Spark: try_to_timestamp applies the offset and returns the instant in the session time zone,
    which must be UTC (spark.sql.session.timeZone=UTC). -#}
{% macro spark__parse_iso_timestamp(text_expr) -%}
    try_to_timestamp({{ text_expr }})
{%- endmacro %}
