{#- What a staging model reads for a raw table: the source relation (where var('<source>_database'),
    var('<source>_schema') and var('<source>_<table>_identifier') put it, see the sources YAML), or,
    when var('<source>_<table>_enabled') is false, an empty relation with the same columns and types
    (from the source's declared columns), so the staging model, and every model after it, builds with no
    rows: that table's features are then 0 or null (a switched-off table is not read in any connector
    shape either). source() is called either way, so lineage holds.
    The CRM leads, the lead master, cannot be switched off. With var('crm_source_shape')
    fivetran_salesforce the CRM tables are read from Fivetran's Salesforce tables instead
    (fivetran_salesforce_table); with var('web_source_shape') segment the web tables from Segment's
    (segment_table). -#}
{% macro source_table(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {#- A unit test gives the source's rows itself. -#}
    {%- set is_unit_test = model is mapping and model.get('resource_type') == 'unit_test' -%}
    {%- if is_unit_test -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- if source_table_enabled(source_name, table_name) or not execute -%}
        {%- if source_name == 'crm' and crm_source_shape() == 'fivetran_salesforce' -%}
            {{ return(fivetran_salesforce_table(table_name)) }}
        {%- endif -%}
        {%- if source_name == 'web' and web_source_shape() == 'segment' -%}
            {{ return(segment_table(table_name)) }}
        {%- endif -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for name, sql_type in declared_columns(source_name, table_name) -%}
        {%- do columns.append('cast(null as ' ~ sql_type ~ ') as ' ~ adapter.quote(name)) -%}
    {%- endfor -%}
    {{ return('(select ' ~ (columns + row_locator_column('null')) | join(', ')
        ~ ' where 1 = 0) as switched_off_' ~ table_name) }}
{%- endmacro %}


{#- The body of a base model's import CTE: every raw row of `<source>.<table>` (source_table) with
    its physical locator as `source_row_locator`, only those of the load window when window_start is
    given (incremental_window_start). -#}
{% macro source_rows(source_name, table_name, window_start=none) -%}
    select
        *,
        {{ source_row_locator() }} as source_row_locator
    from {{ source_table(source_name, table_name) }}
    {{ load_window_filter(window_start) }}
{%- endmacro %}


{#- The contract's columns of raw table `<source>.<table>` as (name, SQL type): those declared in the
    sources YAML, and for the CRM leads the custom fields of seed crm_custom_fields before _loaded_at. -#}
{% macro declared_columns(source_name, table_name) -%}
    {%- set node = graph.sources.get('source.' ~ project_name ~ '.' ~ source_name ~ '.' ~ table_name) -%}
    {%- if node is none -%}
        {{ exceptions.raise_compiler_error("source_table: no source " ~ source_name ~ "." ~ table_name) }}
    {%- endif -%}
    {%- set types = {
        'varchar': dbt.type_string(), 'timestamp': dbt.type_timestamp(), 'double': type_double_precision(),
        'boolean': dbt.type_boolean(), 'integer': dbt.type_int(), 'date': 'date',
    } -%}
    {%- set custom_types = {'numeric': types['double'], 'categorical': types['varchar'], 'boolean': types['boolean']} -%}
    {%- set columns = [] -%}
    {%- for column in node.columns.values() -%}
        {%- if column.name == '_loaded_at' and (source_name, table_name) == ('crm', 'leads') -%}
            {%- for field in crm_custom_fields() -%}
                {%- do columns.append((field.field_name, custom_types[field.value_type])) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- do columns.append((column.name, types[column.data_type])) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}


{#- The physical row locator a staging model selects (rowid, ctid), as a column of a derived table:
    [expression ~ ' as rowid'], or [] where the adapter has none. A derived table that unions several
    tables (Segment's pages and tracks) gives each its `part` of `parts`, so locators stay distinct
    across the union: DuckDB rowid * parts + part, PostgreSQL the ctid's text with '/<part>'. -#}
{% macro row_locator_column(expression, part=none, parts=1) -%}
    {%- set locator = source_row_locator() | trim -%}
    {%- if modules.re.match('^[a-z_]+$', locator) -%}
        {%- if expression == 'null' -%}
            {{ return(['cast(null as ' ~ dbt.type_bigint() ~ ') as ' ~ locator]) }}
        {%- endif -%}
        {%- set column = expression ~ '.' ~ locator -%}
        {%- if part is not none and locator == 'rowid' -%}
            {%- set column = column ~ ' * ' ~ parts ~ ' + ' ~ part -%}
        {%- elif part is not none -%}
            {%- set column = dbt.concat([dbt.cast(column, dbt.type_string()), "'/" ~ part ~ "'"]) -%}
        {%- endif -%}
        {{ return([column ~ ' as ' ~ locator]) }}
    {%- endif -%}
    {{ return([]) }}
{%- endmacro %}


{#- var('crm_source_shape'): contract (default: the raw_crm tables of the contract, placed by the crm_*
    vars) or fivetran_salesforce (Fivetran's Salesforce connector, source `salesforce`). -#}
{% macro crm_source_shape() -%}
    {%- set shape = var('crm_source_shape', 'contract') -%}
    {%- if shape not in ['contract', 'fivetran_salesforce'] -%}
        {{ exceptions.raise_compiler_error(
            "var crm_source_shape must be contract or fivetran_salesforce, got '" ~ shape ~ "'") }}
    {%- endif -%}
    {{ return(shape) }}
{%- endmacro %}


{#- A contract CRM table read from Fivetran's Salesforce tables (lead, account, opportunity, user) as a
    derived table with exactly the contract's columns: each column by its name when the connector has it
    (Salesforce's snake_case names are the contract's), _loaded_at from _fivetran_synced, is_deleted also
    true when _fivetran_deleted, an opportunity's lead_id from the lead converted into it, and typed nulls
    for columns the connector lacks (e.g. social_handle, contact_email). -#}
{% macro fivetran_salesforce_table(table_name) -%}
    {%- set alias = salesforce_objects()[table_name] -%}
    {%- set relation = source('salesforce', alias) -%}
    {%- set lead_relation = source('salesforce', 'lead') -%}
    {%- if table_name == 'leads' -%}
        {#- while parsing: records the dependency on the custom-field seed the columns come from -#}
        {%- do crm_custom_fields() -%}
    {%- endif -%}
    {%- if not execute -%}
        {{ return(relation) }}
    {%- endif -%}
    {%- set available = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- if not available -%}
        {{ exceptions.raise_compiler_error(
            "crm_source_shape is fivetran_salesforce, but " ~ relation ~ " has no columns (does it exist?)") }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for name, sql_type in declared_columns('crm', table_name) -%}
        {%- if name == '_loaded_at' -%}
            {%- set expression = alias ~ '._fivetran_synced' -%}
        {%- elif name == 'is_deleted' -%}
            {%- set expression = 'coalesce(' ~ alias ~ '._fivetran_deleted, false)'
                ~ (' or coalesce(' ~ alias ~ '.is_deleted, false)' if 'is_deleted' in available else '') -%}
        {%- elif name == 'lead_id' and table_name == 'opportunities' and name not in available -%}
            {%- set expression = 'converted.lead_id' -%}
        {%- elif name in available -%}
            {%- set expression = alias ~ '.' ~ adapter.quote(name) -%}
        {%- else -%}
            {%- set expression = 'null' -%}
        {%- endif -%}
        {%- do columns.append('cast(' ~ expression ~ ' as ' ~ sql_type ~ ') as ' ~ adapter.quote(name)) -%}
    {%- endfor -%}
    {%- set sql -%}
        (select {{ (columns + row_locator_column(alias)) | join(', ') }}
        from {{ relation }} as {{ alias }}
        {%- if table_name == 'opportunities' %}
        left join (
            select converted_opportunity_id, min(id) as lead_id
            from {{ lead_relation }}
            where converted_opportunity_id is not null
            group by converted_opportunity_id
        ) as converted on {{ alias }}.id = converted.converted_opportunity_id
        {%- endif %}) as salesforce_{{ alias }}
    {%- endset -%}
    {{ return(sql) }}
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


{#- The physical relation behind source_table(source_name, table_name): Fivetran's Salesforce table when
    the CRM is read in that shape, else the source (also in unit tests, which give the source's rows). -#}
{% macro source_table_relation(source_name, table_name) -%}
    {%- set is_unit_test = model is mapping and model.get('resource_type') == 'unit_test' -%}
    {%- if source_name == 'crm' and not is_unit_test and crm_source_shape() == 'fivetran_salesforce' -%}
        {{ return(source('salesforce', salesforce_objects()[table_name])) }}
    {%- endif -%}
    {{ return(source(source_name, table_name)) }}
{%- endmacro %}


{#- The Salesforce object (source `salesforce` table) of each contract CRM table. -#}
{% macro salesforce_objects() -%}
    {{ return({'leads': 'lead', 'accounts': 'account', 'opportunities': 'opportunity', 'users': 'user',
        'mql_feedback': 'mql_feedback_c'}) }}
{%- endmacro %}
