{{ config(materialized='table') }}

{#- The points weight of evidence suggests, one row per rule: every bin of a selected feature
    (int_woe_bins) except its reference bin (its worst, anchored at 0) and its missing bin becomes a
    rule that fires on the bin's values, worth scale * scorecard weight * relative_woe points rounded
    to whole points (rules worth 0 are dropped), so every rule adds points. The scorecard weight of a
    feature (int_woe_scorecard_fit, or on PostgreSQL and Spark the fit `leadscore fit` wrote: macro
    learned_fit) keeps correlated features from counting the same evidence twice; without learned
    weights it is 1 (the plain WoE sum, portable SQL).
    The scale maps the evaluation_suggested_score_quantile quantile (nearest rank, so ties at the top
    cannot leave it undefined) of the training rows' summed weighted WoE to 100 points, so scores
    spread over 0-100; when that quantile is 0 (most leads hold no evidence), the largest total is
    mapped to 100 instead. Category: fit for features of the fit and custom families, engagement for
    the others (the engine decays engagement points unless the rule set's half-lives are empty, as
    in the rule set `leadscore suggest-weights` writes). Fitted on the 'train' sample only. -#}

{%- set score_quantile = evaluation_setting('evaluation_suggested_score_quantile') | float %}

with

woe_bins as (
    select * from {{ ref('int_woe_bins') }}
),

lead_bins as (
    select * from {{ ref('int_woe_lead_bins') }}
),

{% if learned_weights_from() -%}
    feature_weights as (
        select
            scorecard.feature_name,
            scorecard.scorecard_weight
        from {{ learned_fit('woe_scorecard') }} as scorecard
    ),
{%- else -%}
    feature_weights as (
        select distinct
            woe_bins.feature_name,
            1.0 as scorecard_weight
        from woe_bins
    ),
{%- endif %}

selected_bins as (
    select
        woe_bins.*,
        coalesce(feature_weights.scorecard_weight, 0) as scorecard_weight,
        woe_bins.relative_woe * coalesce(feature_weights.scorecard_weight, 0) as weighted_woe
    from woe_bins
    left join feature_weights
        on woe_bins.feature_name = feature_weights.feature_name
    where woe_bins.is_selected_feature
),

training_rows as (
    select
        lead_bins.lead_id,
        lead_bins.as_of_date,
        sum(coalesce(selected_bins.weighted_woe, 0)) as weighted_woe_total
    from lead_bins
    left join selected_bins
        on
            lead_bins.feature_name = selected_bins.feature_name
            and lead_bins.bin_number = selected_bins.bin_number
    where lead_bins.sample = 'train'
    group by lead_bins.lead_id, lead_bins.as_of_date
),

ranked_totals as (
    select
        training_rows.weighted_woe_total,
        row_number() over (
            order by
                training_rows.weighted_woe_total,
                training_rows.lead_id,
                training_rows.as_of_date
        ) as total_position,
        count(*) over () as training_row_count
    from training_rows
),

scale_totals as (
    select
        max(
            case
                when
                    ranked_totals.total_position
                    = greatest(1, ceil({{ score_quantile }} * ranked_totals.training_row_count))
                    then ranked_totals.weighted_woe_total
            end
        ) as quantile_total,
        max(ranked_totals.weighted_woe_total) as max_total
    from ranked_totals
),

scale as (
    select
        case
            when scale_totals.quantile_total > 0 then 100.0 / scale_totals.quantile_total
            when scale_totals.max_total > 0 then 100.0 / scale_totals.max_total
        end as points_per_woe,
        case
            when scale_totals.quantile_total > 0 then 'quantile'
            when scale_totals.max_total > 0 then 'maximum'
        end as scale_basis
    from scale_totals
),

text_value_lists as (
    select
        woe_bins.feature_name,
        {{ dbt.listagg('woe_bins.text_value', "'|'", 'order by woe_bins.text_value') }}
            as value_list
    from woe_bins
    where woe_bins.bin_kind = 'value'
    group by woe_bins.feature_name
),

rule_bins as (
    select
        selected_bins.feature_name,
        selected_bins.feature_family,
        selected_bins.value_type,
        selected_bins.bin_number,
        selected_bins.bin_kind,
        selected_bins.lower_value,
        selected_bins.upper_value,
        selected_bins.text_value,
        selected_bins.bin_rows,
        selected_bins.bin_positives,
        selected_bins.weight_of_evidence,
        selected_bins.relative_woe,
        selected_bins.scorecard_weight,
        selected_bins.feature_information_value,
        text_value_lists.value_list,
        scale.points_per_woe,
        scale.scale_basis,
        cast(
            round(cast(scale.points_per_woe * selected_bins.weighted_woe as decimal(38, 15)), 0)
            as {{ dbt.type_int() }}
        ) as points
    from selected_bins
    inner join scale
        on scale.points_per_woe is not null
    left join text_value_lists
        on selected_bins.feature_name = text_value_lists.feature_name
    where not selected_bins.is_reference_bin and selected_bins.bin_kind <> 'missing'
),

conditions as (
    select
        rule_bins.*,
        case
            when rule_bins.bin_kind = 'value' then '='
            when rule_bins.bin_kind = 'other' then 'not in'
            when rule_bins.value_type = 'boolean' and rule_bins.upper_value is null then 'is true'
            when rule_bins.value_type = 'boolean' then '='
            when rule_bins.lower_value is null then '<='
            when rule_bins.upper_value is null then '>='
            when rule_bins.lower_value = rule_bins.upper_value then '='
            else 'between'
        end as rule_operator,
        {{ woe_edge_text('rule_bins.lower_value') }} as lower_text,
        {{ woe_edge_text('rule_bins.upper_value') }} as upper_text,
        {{ woe_edge_text('rule_bins.lower_value', 2) }} as lower_label,
        {{ woe_edge_text('rule_bins.upper_value', 2) }} as upper_label
    from rule_bins
    where rule_bins.points <> 0
),

final as (
    select
        'L' || lpad(
            cast(
                row_number() over (
                    order by
                        conditions.feature_information_value desc,
                        conditions.feature_name asc,
                        conditions.bin_number asc
                ) as {{ dbt.type_string() }}
            ),
            3,
            '0'
        ) as rule_key,
        case
            when conditions.feature_family in ('fit', 'custom') then 'fit'
            when conditions.points > 0 then 'engagement'
            else 'negative'
        end as category,
        conditions.feature_name,
        conditions.rule_operator as operator, -- noqa: RF04
        case
            when conditions.rule_operator = 'is true' then ''
            when conditions.bin_kind = 'value' then conditions.text_value
            when conditions.bin_kind = 'other' then conditions.value_list
            when conditions.rule_operator = '=' and conditions.lower_value is null then '0'
            when conditions.rule_operator = '<=' then conditions.upper_text
            else conditions.lower_text
        end as rule_value,
        case
            when conditions.rule_operator = 'between' then conditions.upper_text else ''
        end as rule_value_to,
        conditions.points,
        case
            when conditions.bin_kind = 'value'
                then conditions.feature_name || ' is ' || conditions.text_value
            when conditions.bin_kind = 'other'
                then conditions.feature_name || ' is another value ({value})'
            when conditions.rule_operator = 'is true' then conditions.feature_name
            when conditions.value_type = 'boolean' then 'Not ' || conditions.feature_name
            when conditions.rule_operator = '<='
                then conditions.feature_name || ' up to ' || conditions.upper_label || ' ({value})'
            when conditions.rule_operator = '>='
                then
                    conditions.feature_name || ' ' || conditions.lower_label
                    || ' or more ({value})'
            when conditions.rule_operator = '='
                then conditions.feature_name || ' = {value}'
            else
                conditions.feature_name || ' ' || conditions.lower_label || '-'
                || conditions.upper_label || ' ({value})'
        end as reason,
        conditions.bin_number,
        conditions.bin_kind,
        conditions.bin_rows as training_rows,
        conditions.bin_positives as training_conversions,
        conditions.weight_of_evidence,
        conditions.relative_woe,
        conditions.scorecard_weight,
        conditions.feature_information_value,
        conditions.points_per_woe,
        conditions.scale_basis
    from conditions
)

select * from final
