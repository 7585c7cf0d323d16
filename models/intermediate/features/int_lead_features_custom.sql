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
        spine.lead_id,
        {%- for field in crm_custom_fields() %}
        {{ crm_custom_feature_value(field, 'profiles') }} as {{ field.feature_name }},
        {%- endfor %}
        spine.as_of_date
    from spine
    inner join profiles
        on
            spine.lead_id = profiles.lead_id
            and spine.as_of_date = profiles.as_of_date
)

select * from final
