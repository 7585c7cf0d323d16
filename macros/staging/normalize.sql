{#- Trimmed text, empty text as null. Case is kept (spam features look at the case of names). -#}
{% macro clean_text(text_expr) -%}
    {{ return(adapter.dispatch('clean_text', 'leadscore')(text_expr)) }}
{%- endmacro %}

{% macro default__clean_text(text_expr) -%}
    nullif(trim({{ text_expr }}), '')
{%- endmacro %}

{#- DuckDB: trim() copies every string; only values with a space at either end need it (the same
    result, several times cheaper on wide event tables). -#}
{% macro duckdb__clean_text(text_expr) -%}
    nullif(
        case
            when {{ text_expr }} like ' %' or {{ text_expr }} like '% ' then trim({{ text_expr }})
            else {{ text_expr }}
        end,
        ''
    )
{%- endmacro %}


{#- Email as the staging contract wants it: lower(trim()), empty as null. Validity is checked apart
    (is_valid_email) so that invalid emails can be set aside with their reason. -#}
{% macro normalize_email(email_expr) -%}
    nullif(lower(trim({{ email_expr }})), '')
{%- endmacro %}


{#- Phone as '+' and digits only: punctuation and spaces dropped, a leading international '00' turned
    into '+'. Fewer than 7 digits is not a phone number: null. No country code is invented. -#}
{% macro normalize_phone(phone_expr) -%}
    {%- set digits = leadscore.regex_replace_all(phone_expr, '[^0-9]', '') -%}
    case
        when length({{ digits }}) < 7 then null
        when trim({{ phone_expr }}) like '00%' then '+' || substr({{ digits }}, 3)
        else '+' || {{ digits }}
    end
{%- endmacro %}


{#- Social handle: lower-case, without the leading @, empty as null. -#}
{% macro normalize_handle(handle_expr) -%}
    nullif(lower(trim(leading '@' from trim({{ handle_expr }}))), '')
{%- endmacro %}


{#- Path of a URL (what follows the host, without query string or fragment). -#}
{% macro url_path(url_expr) -%}
    {{ return(adapter.dispatch('url_path', 'leadscore')(url_expr)) }}
{%- endmacro %}

{% macro duckdb__url_path(url_expr) -%}
    nullif(regexp_extract({{ url_expr }}, '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*)?([^?#]*)', 1), '')
{%- endmacro %}

{% macro default__url_path(url_expr) -%}
    nullif(substring({{ url_expr }} from '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*)?([^?#]*)'), '')
{%- endmacro %}

{% macro spark__url_path(url_expr) -%}
    nullif(regexp_extract({{ url_expr }}, '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*)?([^?#]*)', 1), '')
{%- endmacro %}


{#- Cast text to a number, null when it is not one. -#}
{% macro safe_cast_number(text_expr, type_sql) -%}
    {{ return(adapter.dispatch('safe_cast_number', 'leadscore')(text_expr, type_sql)) }}
{%- endmacro %}

{% macro default__safe_cast_number(text_expr, type_sql) -%}
    {{ dbt.safe_cast(text_expr, type_sql) }}
{%- endmacro %}

{#- PostgreSQL has no try_cast: only text shaped like a number is cast. -#}
{% macro postgres__safe_cast_number(text_expr, type_sql) -%}
    case
        when trim({{ text_expr }}) ~ '^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$'
            then cast(trim({{ text_expr }}) as {{ type_sql }})
    end
{%- endmacro %}


{#- An optional email: normalised, or null when it is not a valid address (the row itself is kept). -#}
{% macro valid_email_or_null(email_expr) -%}
    case
        when {{ leadscore.is_valid_email(leadscore.normalize_email(email_expr)) }}
            then {{ leadscore.normalize_email(email_expr) }}
    end
{%- endmacro %}


{#- Domain of a website or URL: lower-case, without scheme, 'www.', port, path or query. -#}
{% macro domain_from_url(url_expr) -%}
    nullif(
        {{ leadscore.regex_replace_all(
            leadscore.regex_replace_all(
                leadscore.regex_replace_all('lower(trim(' ~ url_expr ~ '))', '^[a-z][a-z0-9+.-]*://', ''),
                '^www\.', ''
            ),
            '[/?#:].*$', ''
        ) }},
        ''
    )
{%- endmacro %}

{% macro duckdb__safe_cast_number(text_expr, type_sql) -%}
    try_cast({{ text_expr }} as {{ type_sql }})
{%- endmacro %}

{% macro spark__safe_cast_number(text_expr, type_sql) -%}
    try_cast({{ text_expr }} as {{ type_sql }})
{%- endmacro %}


{#- A 64-bit floating point type name (dbt.type_float() is 32-bit on DuckDB). -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'leadscore')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
