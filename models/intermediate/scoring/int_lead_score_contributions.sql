{{ config(materialized='table') }}

{#- Each fired rule's points after decay and category caps, as decimal cents, per lead, scoring
    date and rule set, plus one `score_bounds` row when the total had to be brought back into
    0-100. A score is the exact sum of its rows (decimal arithmetic). When a category's total is
    outside its cap, every rule in it is scaled by the same factor, so reasons keep their
    proportions. Engagement last seen before the lead's engagement start (int_lead_engagement_resets:
    a lifecycle reset in effect) no longer counts, and the reset shows as a 0-point `reset` row
    naming the event (rule_id engagement_reset, its date as the feature value). -#}

with

all_hits as (
    select * from {{ ref('int_lead_rule_hits') }}
),

resets as (
    select * from {{ ref('int_lead_engagement_resets') }}
),

-- the hits that count: no engagement last seen before the engagement start (unknown time: not
-- shown to follow it); rows of all_hits unchanged, so their columns stay its own. `not exists`, not
-- a left join filtered on its null side: DuckDB 2.0.0 mis-joined the caps below when resets was
-- empty (the switched-off seed changed 494 scores; test_lifecycle_resets.py catches it).
hits as (
    select all_hits.*
    from all_hits
    where
        {{ counts_after_resets(
            'all_hits.category',
            'all_hits.days_since_last',
            'resets',
            'resets.lead_id = all_hits.lead_id
                and resets.as_of_date = all_hits.as_of_date
                and resets.rule_set_version = all_hits.rule_set_version'
        ) }}
),

caps as (
    select * from {{ ref('int_scoring_category_caps') }}
),

category_totals as (
    select
        hits.lead_id,
        hits.as_of_date,
        hits.rule_set_version,
        hits.category,
        -- an exact (decimal) sum: a sum of doubles depends on the order threads add them in,
        -- and the cap factor would differ in its last bit from one identical build to the next
        sum(cast(hits.points_decayed as decimal(38, 12))) as category_points
    from hits
    group by hits.lead_id, hits.as_of_date, hits.rule_set_version, hits.category
),

category_factors as (
    select
        category_totals.lead_id,
        category_totals.as_of_date,
        category_totals.rule_set_version,
        category_totals.category,
        {{ cap_factor('category_totals.category_points', 'caps.min_points', 'caps.max_points') }}
            as cap_factor
    from category_totals
    left join caps
        on
            category_totals.rule_set_version = caps.rule_set_version
            and category_totals.category = caps.category
),

rule_points as (
    select
        hits.lead_id,
        hits.as_of_date,
        hits.rule_set_version,
        hits.rule_id,
        hits.category,
        hits.feature_name,
        hits.feature_value_numeric,
        hits.feature_value_text,
        hits.reason,
        hits.points_raw,
        hits.decay_factor,
        cast(category_factors.cap_factor as {{ type_double() }}) as cap_factor,
        {{ capped_points('hits.points_decayed', 'category_factors.cap_factor') }} as points
    from hits
    inner join category_factors
        on
            hits.lead_id = category_factors.lead_id
            and hits.as_of_date = category_factors.as_of_date
            and hits.rule_set_version = category_factors.rule_set_version
            and hits.category = category_factors.category
),

lead_totals as (
    select
        rule_points.lead_id,
        rule_points.as_of_date,
        rule_points.rule_set_version,
        sum(rule_points.points) as points_total
    from rule_points
    group by rule_points.lead_id, rule_points.as_of_date, rule_points.rule_set_version
),

bounds as (
    select
        lead_totals.lead_id,
        lead_totals.as_of_date,
        lead_totals.rule_set_version,
        'score_bounds' as rule_id,
        'bounds' as category,
        cast(null as {{ dbt.type_string() }}) as feature_name,
        cast(null as {{ type_double() }}) as feature_value_numeric,
        cast(null as {{ dbt.type_string() }}) as feature_value_text,
        case
            when lead_totals.points_total < 0 then 'Score floored at 0'
            else 'Score capped at 100'
        end as reason,
        cast(null as {{ type_double() }}) as points_raw,
        cast(1.0 as {{ type_double() }}) as decay_factor,
        cast(1.0 as {{ type_double() }}) as cap_factor,
        cast(
            {{ bounded_score('lead_totals.points_total') }} - lead_totals.points_total
            as decimal(12, 2)
        ) as points
    from lead_totals
    where {{ bounded_score('lead_totals.points_total') }} <> lead_totals.points_total
),

reset_rows as (
    select
        resets.lead_id,
        resets.as_of_date,
        resets.rule_set_version,
        'engagement_reset' as rule_id,
        'reset' as category,
        cast(null as {{ dbt.type_string() }}) as feature_name,
        cast(null as {{ type_double() }}) as feature_value_numeric,
        cast(resets.engagement_start_date as {{ dbt.type_string() }}) as feature_value_text,
        resets.reason,
        cast(null as {{ type_double() }}) as points_raw,
        cast(1.0 as {{ type_double() }}) as decay_factor,
        cast(1.0 as {{ type_double() }}) as cap_factor,
        cast(0 as decimal(12, 2)) as points
    from resets
),

final as (
    select * from rule_points
    union all
    select * from bounds
    union all
    select * from reset_rows
)

select * from final
