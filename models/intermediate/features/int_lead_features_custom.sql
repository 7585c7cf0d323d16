{{ config(materialized='table') }}

{#- CRM custom fields as features, one column per field of seed crm_custom_fields (macro
    crm_custom_fields: column custom_<field name without __c>): numeric fields as doubles,
    categorical ones as lower-cased text, boolean ones as booleans. Values come from the lead's CRM
    profile as of the date. -#}

with

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

profiles as (
    select * from {{ ref('int_lead_crm_profiles') }}
),

final as (
    select
        {%- for field in crm_custom_fields() %}
        {%- set column = 'profiles.' ~ field.field_name %}
        {%- if field.value_type == 'numeric' %}
        cast({{ column }} as {{ type_double_precision() }}) as {{ field.feature_name }},
        {%- elif field.value_type == 'boolean' %}
        cast({{ column }} as {{ dbt.type_boolean() }}) as {{ field.feature_name }},
        {%- else %}
        lower(trim(cast({{ column }} as {{ dbt.type_string() }}))) as {{ field.feature_name }},
        {%- endif %}
        {%- endfor %}
        spine.lead_id,
        spine.as_of_date
    from spine
    inner join profiles
        on
            spine.lead_id = profiles.lead_id
            and spine.as_of_date = profiles.as_of_date
)

select * from final
