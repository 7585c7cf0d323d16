{#- Weight of evidence and information value per feature bin (fitted on the 'train' sample of the
    backtest), with the points each bin suggests (0 for reference bins and features not selected). -#}

with

woe_bins as (
    select * from {{ ref('int_woe_bins') }}
),

rule_points as (
    select * from {{ ref('int_woe_rule_points') }}
),

final as (
    select
        woe_bins.feature_name,
        woe_bins.feature_family,
        woe_bins.bin_number,
        woe_bins.bin_kind,
        woe_bins.lower_value,
        woe_bins.upper_value,
        woe_bins.text_value,
        woe_bins.bin_rows as training_rows,
        woe_bins.bin_positives as training_conversions,
        cast(woe_bins.bin_positives as {{ type_double() }})
        / nullif(woe_bins.bin_rows, 0) as training_conversion_rate,
        woe_bins.weight_of_evidence,
        woe_bins.information_value_part,
        woe_bins.feature_information_value,
        woe_bins.is_reference_bin,
        woe_bins.is_selected_feature,
        rule_points.rule_key,
        coalesce(rule_points.points, 0) as suggested_points
    from woe_bins
    left join rule_points
        on
            woe_bins.feature_name = rule_points.feature_name
            and woe_bins.bin_number = rule_points.bin_number
)

select * from final
