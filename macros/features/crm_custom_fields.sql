{#- The CRM custom fields listed in seed `crm_custom_fields` (field_name, value_type,
    description), read at compile time. Every field_name must be a column of `leads_relation`
    (checked against the warehouse's catalog, so no SQL is ever built from seed text that is not
    a real column name) and value_type must be numeric or categorical: anything else stops the
    run with a clear message. Returns a list of dicts: field_name, value_type, feature_name
    ('custom_' + name without '__c'). While dbt parses, or before the seed is loaded (e.g. lint
    on an empty warehouse), returns []. -#}
{% macro crm_custom_fields(seed_relation, leads_relation) -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- if load_relation(seed_relation) is none -%}
        {{ log("crm_custom_fields: seed " ~ seed_relation
            ~ " is not loaded yet; no custom-field features", info=true) }}
        {{ return([]) }}
    {%- endif -%}
    {%- set seed_rows = run_query(
        "select field_name, value_type from " ~ seed_relation ~ " order by field_name") -%}
    {%- set leads_columns = adapter.get_columns_in_relation(leads_relation)
        | map(attribute='name') | map('lower') | list -%}
    {%- set fields = [] -%}
    {%- for row in seed_rows.rows -%}
        {%- set field_name = (row[0] or '') | string | trim | lower -%}
        {%- set value_type = (row[1] or '') | string | trim | lower -%}
        {%- if not modules.re.match('^[a-z][a-z0-9_]*$', field_name) -%}
            {{ exceptions.raise_compiler_error(
                "seed crm_custom_fields: field_name '" ~ field_name
                ~ "' is not a plain column name") }}
        {%- endif -%}
        {%- if leads_columns and field_name not in leads_columns -%}
            {{ exceptions.raise_compiler_error(
                "seed crm_custom_fields names column '" ~ field_name ~ "', which " ~ leads_relation
                ~ " does not have. Its columns are: "
                ~ (leads_columns | join(', '))) }}
        {%- endif -%}
        {%- if value_type not in ['numeric', 'categorical'] -%}
            {{ exceptions.raise_compiler_error(
                "seed crm_custom_fields: value_type of '" ~ field_name
                ~ "' must be numeric or categorical, got '" ~ value_type ~ "'") }}
        {%- endif -%}
        {%- set base_name = field_name[:-3] if field_name.endswith('__c') else field_name -%}
        {%- do fields.append({
            'field_name': field_name,
            'value_type': value_type,
            'feature_name': 'custom_' ~ base_name,
        }) -%}
    {%- endfor -%}
    {{ return(fields) }}
{%- endmacro %}
