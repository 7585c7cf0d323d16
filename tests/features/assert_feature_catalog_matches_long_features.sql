-- Every feature in int_lead_features_long is described in seed feature_catalog with the family of
-- the model it comes from, and every catalog feature appears in the long table (when it has rows).
-- Returns the features that break this.

with

catalog as (
    select * from {{ ref('feature_catalog') }}
),

long_features as (
    select * from {{ ref('int_lead_features_long') }}
),

features_in_long as (
    select distinct feature_name
    from long_features
),

long_has_rows as (
    select count(*) > 0 as has_rows
    from features_in_long
),

missing_from_catalog as (
    select
        features_in_long.feature_name,
        'in int_lead_features_long, not in feature_catalog' as problem
    from features_in_long
    left join catalog
        on features_in_long.feature_name = catalog.feature_name
    where catalog.feature_name is null
),

missing_from_long as (
    select
        catalog.feature_name,
        'in feature_catalog, not in int_lead_features_long' as problem
    from catalog
    left join features_in_long
        on catalog.feature_name = features_in_long.feature_name
    where
        features_in_long.feature_name is null
        and (select long_has_rows.has_rows from long_has_rows)
),

wrong_family as (
    select
        catalog.feature_name,
        'feature_name does not start with its feature_family' as problem
    from catalog
    -- a prefix comparison, not `like ... escape`, which Spark does not parse
    where
        substr(catalog.feature_name, 1, length(catalog.feature_family) + 1)
        != catalog.feature_family || '_'
),

final as (
    select * from missing_from_catalog
    union all
    select * from missing_from_long
    union all
    select * from wrong_family
)

select * from final
