{#- The canonical lead key from a normalised email: md5 of a secret key (env var LEADSCORE_ID_KEY)
    followed by the email, so that someone holding a list of emails cannot recompute the lead_ids of the
    BI marts without the key. Portable: dbt's hash and concat macros (md5 on DuckDB, PostgreSQL, Spark).
    When the key is unset, lead_id is the plain md5 of the email (re-identifiable) and the build says so. -#}
{% macro lead_id_hash(email_expr) -%}
    {%- set key = env_var('LEADSCORE_ID_KEY', '') -%}
    {%- if key == '' -%}
        {%- if execute -%}
            {%- do log(
                "WARNING: LEADSCORE_ID_KEY is not set, so lead_id is the plain md5 of the email: anyone with "
                ~ "a list of emails can re-identify every lead in the marts. Set LEADSCORE_ID_KEY to a long "
                ~ "random secret and run `dbt build --full-refresh`.", info=true) -%}
        {%- endif -%}
        {{- dbt.hash(email_expr) -}}
    {%- else -%}
        {{- dbt.hash(dbt.concat(["'" ~ (key | replace("'", "''")) ~ "'", email_expr])) -}}
    {%- endif -%}
{%- endmacro %}
