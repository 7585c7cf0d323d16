{#- Information value of every binned feature (fitted on the 'train' sample of the backtest),
    strongest first, with the usual reading of its strength and whether suggested rules use it. -#}

with

woe_bins as (
    select * from {{ ref('int_woe_bins') }}
),

features as (
    select
        woe_bins.feature_name,
        woe_bins.feature_family,
        max(woe_bins.feature_information_value) as information_value,
        count(*) as bins,
        sum(woe_bins.bin_rows) as training_rows,
        max(case when woe_bins.is_selected_feature then 1 else 0 end) = 1 as is_selected_feature
    from woe_bins
    group by woe_bins.feature_name, woe_bins.feature_family
),

final as (
    select
        features.feature_name,
        features.feature_family,
        features.information_value,
        case
            when features.information_value < 0.02 then 'useless'
            when features.information_value < 0.1 then 'weak'
            when features.information_value < 0.3 then 'medium'
            when features.information_value < 0.5 then 'strong'
            else 'very strong'
        end as predictive_strength,
        row_number() over (
            order by features.information_value desc, features.feature_name asc
        ) as information_value_rank,
        features.bins,
        features.training_rows,
        features.is_selected_feature
    from features
)

select * from final
