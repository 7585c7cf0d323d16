{#- The scoring rules weight of evidence suggests, in the columns of seed scoring_rules (without
    rule_set_version and rule_id: `leadscore suggest-weights` sets them when it writes the file a
    person reviews), with the training figures behind each rule. Fitted on the 'train' sample of the
    backtest only. -#}

with

rule_points as (
    select * from {{ ref('int_woe_rule_points') }}
),

final as (
    select
        rule_points.rule_key,
        rule_points.category,
        rule_points.feature_name,
        rule_points.operator, -- noqa: RF04
        rule_points.rule_value as value, -- noqa: RF04
        rule_points.rule_value_to as value_to,
        rule_points.points,
        'all' as persona,
        'true' as is_active,
        rule_points.reason,
        rule_points.bin_number,
        rule_points.training_rows,
        rule_points.training_conversions,
        rule_points.weight_of_evidence,
        rule_points.relative_woe,
        rule_points.scorecard_weight,
        rule_points.feature_information_value
    from rule_points
)

select * from final
