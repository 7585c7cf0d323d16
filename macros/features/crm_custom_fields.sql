{#- The CRM custom fields declared in seed crm_custom_fields (field_name, value_type, description), read
    at compile time: the one list every model that carries them loops over (staging, the identity
    merge, the CRM profiles, the custom features and the feature catalog). Calling it makes the model
    depend on the seed. Returns a list of dicts, ordered by field_name:
      field_name          the CRM column (Salesforce `budget__c`, HubSpot `property_budget`, any plain name)
      value_type          numeric | categorical | boolean
      feature_name        'custom_' + field_name without a trailing '__c'
      feature_value_type  numeric | text | boolean (how int_lead_features_long stores the feature)
      description         the seed's description
    Every field_name must be a plain lower-case identifier, value_type one of the three and feature
    names distinct; with check_relation given (the raw leads table, in staging), every field_name must
    be one of its columns (checked against the warehouse's catalog, so no SQL is ever built from seed
    text that is not a real column). Anything else stops the run with a message naming the field.
    While dbt parses, before the seed is loaded (lint on an empty warehouse) and in unit tests, returns
    []. -#}
{% macro crm_custom_fields(check_relation=none) -%}
    {#- A unit test's given rows have no custom fields (and the seed is not one of its inputs). -#}
    {%- if model is mapping and model.get('resource_type') == 'unit_test' -%}
        {{ return([]) }}
    {%- endif -%}
    {#- ref() before any other return, so that dbt records the dependency on the seed while parsing. -#}
    {%- set seed_relation = ref('crm_custom_fields') -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- if load_relation(seed_relation) is none -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set seed_rows = run_query(
        "select field_name, value_type, description from " ~ seed_relation ~ " order by field_name") -%}
    {%- set feature_value_types = {'numeric': 'numeric', 'categorical': 'text', 'boolean': 'boolean'} -%}
    {%- set fields = [] -%}
    {%- set feature_names = [] -%}
    {%- for row in seed_rows.rows -%}
        {%- set field_name = (row[0] or '') | string | trim | lower -%}
        {%- set value_type = (row[1] or '') | string | trim | lower -%}
        {%- if not modules.re.match('^[a-z_][a-z0-9_]*$', field_name) -%}
            {{ exceptions.raise_compiler_error(
                "seed crm_custom_fields: field_name '" ~ field_name
                ~ "' is not a plain column name (letters, digits and _)") }}
        {%- endif -%}
        {%- if value_type not in feature_value_types -%}
            {{ exceptions.raise_compiler_error(
                "seed crm_custom_fields: value_type of '" ~ field_name
                ~ "' must be numeric, categorical or boolean, got '" ~ value_type ~ "'") }}
        {%- endif -%}
        {%- set base_name = field_name[:-3] if field_name.endswith('__c') else field_name -%}
        {%- set feature_name = 'custom_' ~ base_name -%}
        {%- if feature_name in feature_names -%}
            {{ exceptions.raise_compiler_error(
                "seed crm_custom_fields: field '" ~ field_name ~ "' gives feature " ~ feature_name
                ~ ", which another field already gives") }}
        {%- endif -%}
        {%- do feature_names.append(feature_name) -%}
        {%- do fields.append({
            'field_name': field_name,
            'value_type': value_type,
            'feature_name': feature_name,
            'feature_value_type': feature_value_types[value_type],
            'description': (row[2] or ('CRM custom field ' ~ field_name)) | string | trim,
        }) -%}
    {%- endfor -%}
    {%- if check_relation is not none and fields -%}
        {%- set columns = adapter.get_columns_in_relation(check_relation)
            | map(attribute='name') | map('lower') | list -%}
        {%- set missing = [] -%}
        {%- for field in fields if columns and field.field_name not in columns -%}
            {%- do missing.append(field.field_name) -%}
        {%- endfor -%}
        {%- if missing -%}
            {{ exceptions.raise_compiler_error(
                "seed crm_custom_fields declares " ~ (missing | join(', ')) ~ ", which " ~ check_relation
                ~ " does not have: add the column(s) to the CRM export or remove the seed row(s). "
                ~ "Its columns are: " ~ (columns | join(', '))) }}
        {%- endif -%}
    {%- endif -%}
    {{ return(fields) }}
{%- endmacro %}


{#- The staging expression of a custom field read from `relation_alias`: numeric as a double,
    categorical as cleaned text (clean_text), boolean as a boolean. -#}
{% macro crm_custom_field_value(field, relation_alias) -%}
    {%- set column = relation_alias ~ '.' ~ field.field_name -%}
    {%- if field.value_type == 'numeric' -%}
        cast({{ column }} as {{ type_double_precision() }})
    {%- elif field.value_type == 'boolean' -%}
        cast({{ column }} as {{ dbt.type_boolean() }})
    {%- else -%}
        {{ clean_text(column) }}
    {%- endif -%}
{%- endmacro %}


{#- The feature value of a custom field read from `relation_alias` (its CRM profile): numeric as a
    double, boolean as a boolean, categorical as lower-cased trimmed text. -#}
{% macro crm_custom_feature_value(field, relation_alias) -%}
    {%- set column = relation_alias ~ '.' ~ field.field_name -%}
    {%- if field.value_type == 'numeric' -%}
        cast({{ column }} as {{ type_double_precision() }})
    {%- elif field.value_type == 'boolean' -%}
        cast({{ column }} as {{ dbt.type_boolean() }})
    {%- else -%}
        lower(trim(cast({{ column }} as {{ dbt.type_string() }})))
    {%- endif -%}
{%- endmacro %}


{#- The attributes of a CRM lead record that change from version to version and make the lead's CRM
    profile as of a date: written once for stg_crm__lead_versions and int_lead_crm_profiles. -#}
{% macro crm_profile_columns() -%}
    {%- set columns = [
        'email', 'first_name', 'last_name', 'phone', 'company', 'title', 'industry', 'employee_count',
        'annual_revenue_usd', 'country_code', 'lead_source', 'lead_status', 'owner_id',
    ] -%}
    {%- for field in crm_custom_fields() -%}
        {%- do columns.append(field.field_name) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}
