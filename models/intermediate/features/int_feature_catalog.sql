{{ config(materialized='table') }}

{#- The feature catalog: one row per feature of int_lead_features_long, from the same list (macro
    lead_features: the built-in features and one per CRM custom field of seed crm_custom_fields), so
    the two cannot disagree. The rules engine rejects rules on features not listed here. -#}

{%- set rows = [] -%}
{%- for family, features in lead_features().items() -%}
    {%- for feature in features -%}
        {%- do rows.append((family, feature)) -%}
    {%- endfor -%}
{%- endfor %}

with

features as (
    {%- for family, feature in rows %}
    select
        cast('{{ feature.feature_name }}' as {{ dbt.type_string() }}) as feature_name,
        cast('{{ family }}' as {{ dbt.type_string() }}) as feature_family,
        cast('{{ feature.value_type }}' as {{ dbt.type_string() }}) as value_type,
        cast('{{ feature.decay_kind }}' as {{ dbt.type_string() }}) as decay_kind,
        cast('{{ feature.description | replace("'", "''") }}' as {{ dbt.type_string() }}) as description
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

final as (
    select
        feature_name,
        feature_family,
        value_type,
        decay_kind,
        description
    from features
)

select * from final
