{{ config(materialized='table') }}

{#- All features in one long table, the rules engine's input: one row per (lead, scoring date,
    feature). The features are those of macro lead_features (the built-in ones of builtin_features
    and one per CRM custom field of seed crm_custom_fields), the same list int_feature_catalog
    describes: each is the column of the same name of its family's wide model. -#}

{#- ref() outside any condition, so that dbt always records the dependency. -#}
{%- set custom_relation = ref('int_lead_features_custom') -%}
{%- set families = lead_features() -%}

with

fit as (
    select * from {{ ref('int_lead_features_fit') }}
),

web as (
    select * from {{ ref('int_lead_features_web') }}
),

product as (
    select * from {{ ref('int_lead_features_product') }}
),

email as (
    select * from {{ ref('int_lead_features_email') }}
),

social as (
    select * from {{ ref('int_lead_features_social') }}
),

survey as (
    select * from {{ ref('int_lead_features_survey') }}
),

negative as (
    select * from {{ ref('int_lead_features_negative') }}
),

{%- if families.custom %}

    custom as (
        select * from {{ custom_relation }}
    ),
{%- endif %}

final as (
    {%- set non_empty = [] -%}
    {%- for family, features in families.items() if features -%}
        {%- set entries = [] -%}
        {%- for f in features -%}
            {%- do entries.append((f.feature_name, f.value_type, f.last_at_column)) -%}
        {%- endfor -%}
        {%- do non_empty.append((family, entries)) -%}
    {%- endfor -%}
    {%- for family, features in non_empty %}
        {{ unpivot_features(family, features) }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
)

select * from final
