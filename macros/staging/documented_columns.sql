{#- The column names documented in the YAML of the model being compiled, in their YAML order: the one
    place a staging model's column list is written. `undocumented` (columns described elsewhere, e.g. the
    CRM custom fields of seed crm_custom_fields) are put before `_loaded_at`. Empty while parsing (the
    SQL is not run then); none in a unit test, which has no graph to read the tested model's YAML from
    (see ledger_rows). -#}
{% macro documented_columns(undocumented=[]) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- if model.resource_type == 'unit_test' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set node = model -%}
    {%- set names = [] -%}
    {%- for name in node.columns -%}
        {%- if name == '_loaded_at' -%}
            {%- do names.extend(undocumented) -%}
        {%- endif -%}
        {%- do names.append(name) -%}
    {%- endfor -%}
    {%- if not names -%}
        {{ exceptions.raise_compiler_error(node.name ~ ": documented_columns: no columns in the model's YAML") }}
    {%- endif -%}
    {{ return(names) }}
{%- endmacro %}
