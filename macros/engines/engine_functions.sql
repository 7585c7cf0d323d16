{#- Functions an engine lacks, created by the on-run-start hook (dbt_project.yml) before anything runs.
    PostgreSQL 15 has no IS JSON predicate (PostgreSQL 16 has): leadscore_is_json(text) tries the cast
    (parallel unsafe: an exception block cannot run in a parallel worker).
    Nothing on the other engines. -#}
{% macro create_engine_functions() -%}
    {{ return(adapter.dispatch('create_engine_functions', 'leadscore')()) }}
{%- endmacro %}

{% macro default__create_engine_functions() -%}
    select 1
{%- endmacro %}

{% macro postgres__create_engine_functions() -%}
    create schema if not exists {{ target.schema }};
    create or replace function {{ target.schema }}.leadscore_is_json(value text) returns boolean
    language plpgsql immutable parallel unsafe as $$
    begin
        if value is null then
            return null;
        end if;
        perform value::json;
        return true;
    exception when others then
        return false;
    end;
    $$
{%- endmacro %}
