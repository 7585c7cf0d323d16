{{ config(materialized='table') }}

{#- Every backtest row (int_backtest_labels) scored by every contender, one row per (lead, cut-off,
    contender): each active rule set of the seeds (int_lead_scores_by_date: total_score, is_mql),
    the points weight of evidence suggests (int_woe_rule_points summed per lead and clamped to
    0-100, before the engine's decay and caps) and, when Python models are on, the logistic
    regression (predictive_score = 100 * probability). -#}

with

labels as (
    select * from {{ ref('int_backtest_labels') }}
),

rule_scores as (
    select * from {{ ref('int_lead_scores_by_date') }}
),

lead_bins as (
    select * from {{ ref('int_woe_lead_bins') }}
),

rule_points as (
    select * from {{ ref('int_woe_rule_points') }}
),

{% if learned_weights_from() -%}
    learned_scores as (
        select * from {{ ref('int_learned_scores_by_date') }}
    ),
{%- endif %}

rule_set_rows as (
    select
        labels.lead_id,
        labels.as_of_date,
        rule_scores.rule_set_version as contender,
        'rule_set' as contender_kind,
        cast(rule_scores.total_score as {{ type_double() }}) as score,
        cast(null as {{ type_double() }}) as probability,
        rule_scores.is_mql
    from labels
    inner join rule_scores
        on
            labels.lead_id = rule_scores.lead_id
            and labels.as_of_date = rule_scores.as_of_date
),

woe_totals as (
    select
        lead_bins.lead_id,
        lead_bins.as_of_date,
        sum(rule_points.points) as points_total
    from lead_bins
    inner join rule_points
        on
            lead_bins.feature_name = rule_points.feature_name
            and lead_bins.bin_number = rule_points.bin_number
    where lead_bins.sample <> 'current'
    group by lead_bins.lead_id, lead_bins.as_of_date
),

woe_rows as (
    select
        labels.lead_id,
        labels.as_of_date,
        'woe_suggested' as contender,
        'learned_woe' as contender_kind,
        cast(
            greatest(0, least(100, coalesce(woe_totals.points_total, 0))) as {{ type_double() }}
        ) as score,
        cast(null as {{ type_double() }}) as probability,
        cast(null as {{ dbt.type_boolean() }}) as is_mql
    from labels
    left join woe_totals
        on
            labels.lead_id = woe_totals.lead_id
            and labels.as_of_date = woe_totals.as_of_date
),

{% if learned_weights_from() -%}
    logistic_rows as (
        select
            labels.lead_id,
            labels.as_of_date,
            'logistic_regression' as contender,
            'learned_logistic' as contender_kind,
            cast(learned_scores.predictive_score as {{ type_double() }}) as score,
            cast(learned_scores.probability as {{ type_double() }}) as probability,
            cast(null as {{ dbt.type_boolean() }}) as is_mql
        from labels
        inner join learned_scores
            on
                labels.lead_id = learned_scores.lead_id
                and labels.as_of_date = learned_scores.as_of_date
    ),
{%- endif %}

contender_rows as (
    select * from rule_set_rows
    union all
    select * from woe_rows
    {%- if learned_weights_from() %}
        union all
        select * from logistic_rows
    {%- endif %}
),

final as (
    select
        contender_rows.lead_id,
        contender_rows.as_of_date,
        labels.sample,
        labels.persona,
        contender_rows.contender,
        contender_rows.contender_kind,
        contender_rows.score,
        contender_rows.probability,
        contender_rows.is_mql,
        labels.is_converted,
        labels.is_won
    from contender_rows
    inner join labels
        on
            contender_rows.lead_id = labels.lead_id
            and contender_rows.as_of_date = labels.as_of_date
)

select * from final
