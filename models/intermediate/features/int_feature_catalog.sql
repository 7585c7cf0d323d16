{{ config(materialized='table') }}

{#- The feature catalog: one row per feature of int_lead_features_long, from the same list (macro
    lead_features: the built-in features and one per CRM custom field of seed crm_custom_fields), so
    the two cannot disagree. The rules engine rejects rules on features not listed here. -#}

with

features as (
    {{ feature_catalog_rows() }}
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
