{#- What a staging model reads for a raw table: the source relation (where var('<source>_database'),
    var('<source>_schema') and var('<source>_<table>_identifier') put it, see the sources YAML), or,
    when var('<source>_<table>_enabled') is false, an empty relation with the same columns and types
    (from the source's declared columns), so the staging model, and every model after it, builds with no
    rows: that table's features are then 0 or null. source() is called either way, so lineage holds.
    The CRM leads, the lead master, cannot be switched off. -#}
{% macro source_table(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {#- A unit test gives the source's rows itself. -#}
    {%- set is_unit_test = model is mapping and model.get('resource_type') == 'unit_test' -%}
    {%- if source_table_enabled(source_name, table_name) or not execute or is_unit_test -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set node = graph.sources.get('source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name) -%}
    {%- if node is none -%}
        {{ exceptions.raise_compiler_error("source_table: no source " ~ source_name ~ "." ~ table_name) }}
    {%- endif -%}
    {%- set types = {
        'varchar': dbt.type_string(), 'timestamp': dbt.type_timestamp(), 'double': type_double_precision(),
        'boolean': dbt.type_boolean(), 'integer': dbt.type_int(), 'date': 'date',
    } -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
        {%- do columns.append('cast(null as ' ~ types[column.data_type] ~ ') as ' ~ adapter.quote(column.name)) -%}
    {%- endfor -%}
    {#- The physical row locator a staging model selects (rowid, ctid) is a column here. -#}
    {%- set locator = source_row_locator() | trim -%}
    {%- if modules.re.match('^[a-z_]+$', locator) -%}
        {%- do columns.append('cast(null as ' ~ dbt.type_bigint() ~ ') as ' ~ locator) -%}
    {%- endif -%}
    {{ return('(select ' ~ columns | join(', ') ~ ' where 1 = 0) as switched_off_' ~ table_name) }}
{%- endmacro %}


{#- Whether raw table `<source>.<table>` is read: var('<source>_<table>_enabled', true). -#}
{% macro source_table_enabled(source_name, table_name) -%}
    {%- set enabled = var(source_name ~ '_' ~ table_name ~ '_enabled', true) -%}
    {%- if enabled is string -%}
        {%- set enabled = enabled | lower in ['true', '1', 'yes'] -%}
    {%- endif -%}
    {%- if not enabled and (source_name, table_name) == ('crm', 'leads') -%}
        {{ exceptions.raise_compiler_error(
            "var crm_leads_enabled is false, but the CRM leads are the lead master and cannot be switched off") }}
    {%- endif -%}
    {{ return(enabled) }}
{%- endmacro %}
