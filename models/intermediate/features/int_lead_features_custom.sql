{{ config(materialized='table') }}

{#- CRM custom fields as features, one column per field listed in seed crm_custom_fields (column
    custom_<field name without __c>): numeric fields as doubles, categorical ones as lower-cased
    text. The field names are read from the seed at compile time and checked against the columns
    of int_lead_crm_profiles (macro crm_custom_fields), so a seed row naming a missing column
    stops the run with a clear message. Values come from the lead's CRM profile as of the date. -#}

{%- set custom_fields = crm_custom_fields(
    ref('crm_custom_fields'), ref('int_lead_crm_profiles')
) -%}

{%- set custom_columns = [] -%}
{%- for field in custom_fields -%}
    {%- set column = 'profiles.' ~ field.field_name -%}
    {%- if field.value_type == 'numeric' -%}
        {%- set expression = 'cast(' ~ column ~ ' as ' ~ type_double_precision() ~ ')' -%}
    {%- else -%}
        {%- set expression = 'lower(trim(cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')))' -%}
    {%- endif -%}
    {%- do custom_columns.append(expression ~ ' as ' ~ field.feature_name) -%}
{%- endfor -%}

with

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

profiles as (
    select * from {{ ref('int_lead_crm_profiles') }}
),

final as (
    select
        {{ custom_columns | join(',\n        ') }}{{ ',' if custom_columns }}
        spine.lead_id,
        spine.as_of_date
    from spine
    inner join profiles
        on
            spine.lead_id = profiles.lead_id
            and spine.as_of_date = profiles.as_of_date
)

select * from final
