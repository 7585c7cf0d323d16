{{ config(materialized='table') }}

{#- Weight of evidence (WoE) and information value (IV) per feature bin (int_woe_bin_edges), fitted
    on the 'train' sample of the backtest only, in portable SQL.
    WoE = ln(share of the converters in the bin / share of the non-converters in the bin), with 0.5
    added to every count so that empty bins stay finite; IV = sum over bins of (converter share -
    non-converter share) * WoE.
    Points are anchored: the reference bin of a feature is its worst bin a rule can fire on (lowest
    WoE, the missing bin aside) and gets 0 points; relative_woe = WoE - WoE of the reference bin, so
    every other bin adds points ("fit_industry is software: +18") and no value of a categorical is
    worth less than nothing. The missing bin's relative_woe is 0 (no rule fires on a null: a missing
    value counts as the worst known one).
    A feature is selected for suggested rules when it has two or more non-missing bins, an IV of at least
    evaluation_woe_min_information_value and the highest IV of its stem (its name without _total or
    _30d: the two windows of one behaviour would count it twice), up to evaluation_woe_max_features
    features by IV. -#}

{%- set min_iv = evaluation_setting('evaluation_woe_min_information_value') | float %}
{%- set max_features = evaluation_setting('evaluation_woe_max_features') | int %}

with

labels as (
    select * from {{ ref('int_backtest_labels') }}
),

lead_bins as (
    select * from {{ ref('int_woe_lead_bins') }}
),

all_bins as (
    select * from {{ ref('int_woe_bin_edges') }}
),

feature_catalog as (
    select * from {{ ref('int_feature_catalog') }}
),

totals as (
    select
        sum(case when labels.is_converted then 1 else 0 end) as total_positives,
        sum(case when labels.is_converted then 0 else 1 end) as total_negatives
    from labels
    where labels.sample = 'train'
),

bin_counts as (
    select
        lead_bins.feature_name,
        lead_bins.bin_number,
        count(*) as bin_rows,
        sum(case when labels.is_converted then 1 else 0 end) as bin_positives,
        sum(case when labels.is_converted then 0 else 1 end) as bin_negatives
    from lead_bins
    inner join labels
        on
            lead_bins.lead_id = labels.lead_id
            and lead_bins.as_of_date = labels.as_of_date
    where lead_bins.sample = 'train'
    group by lead_bins.feature_name, lead_bins.bin_number
),

bin_woe as (
    select
        all_bins.feature_name,
        all_bins.bin_number,
        all_bins.bin_kind,
        all_bins.lower_value,
        all_bins.upper_value,
        all_bins.text_value,
        coalesce(bin_counts.bin_rows, 0) as bin_rows,
        coalesce(bin_counts.bin_positives, 0) as bin_positives,
        coalesce(bin_counts.bin_negatives, 0) as bin_negatives,
        (coalesce(bin_counts.bin_positives, 0) + 0.5) / (totals.total_positives + 0.5)
            as positive_share,
        (coalesce(bin_counts.bin_negatives, 0) + 0.5) / (totals.total_negatives + 0.5)
            as negative_share
    from all_bins
    cross join totals
    left join bin_counts
        on
            all_bins.feature_name = bin_counts.feature_name
            and all_bins.bin_number = bin_counts.bin_number
),

bin_stats as (
    select
        bin_woe.*,
        ln(bin_woe.positive_share / bin_woe.negative_share) as weight_of_evidence,
        (bin_woe.positive_share - bin_woe.negative_share)
        * ln(bin_woe.positive_share / bin_woe.negative_share) as information_value_part,
        row_number() over (
            partition by bin_woe.feature_name
            order by
                case when bin_woe.bin_kind = 'missing' then 1 else 0 end,
                ln(bin_woe.positive_share / bin_woe.negative_share),
                bin_woe.bin_number
        ) as reference_rank,
        sum(case when bin_woe.bin_kind = 'missing' then 0 else 1 end)
            over (partition by bin_woe.feature_name) as feature_bins
    from bin_woe
),

reference as (
    select
        bin_stats.feature_name,
        bin_stats.weight_of_evidence as reference_woe
    from bin_stats
    where bin_stats.reference_rank = 1
),

feature_iv as (
    select
        bin_stats.feature_name,
        sum(bin_stats.information_value_part) as information_value,
        max(bin_stats.feature_bins) as feature_bins
    from bin_stats
    group by bin_stats.feature_name
),

feature_ranked as (
    select
        feature_iv.feature_name,
        feature_iv.information_value,
        feature_iv.feature_bins,
        row_number() over (
            partition by replace(replace(feature_iv.feature_name, '_total', ''), '_30d', '')
            order by feature_iv.information_value desc, feature_iv.feature_name asc
        ) as stem_rank
    from feature_iv
),

feature_selected as (
    select
        feature_ranked.feature_name,
        feature_ranked.information_value,
        feature_ranked.stem_rank,
        row_number() over (
            order by
                case
                    when
                        feature_ranked.stem_rank = 1
                        and feature_ranked.feature_bins > 1
                        and feature_ranked.information_value >= {{ min_iv }}
                        then 0
                    else 1
                end,
                feature_ranked.information_value desc,
                feature_ranked.feature_name asc
        ) as selection_rank,
        feature_ranked.stem_rank = 1
        and feature_ranked.feature_bins > 1
        and feature_ranked.information_value >= {{ min_iv }} as is_eligible
    from feature_ranked
),

final as (
    select
        bin_stats.feature_name,
        feature_catalog.feature_family,
        feature_catalog.value_type,
        bin_stats.bin_number,
        bin_stats.bin_kind,
        bin_stats.lower_value,
        bin_stats.upper_value,
        bin_stats.text_value,
        bin_stats.bin_rows,
        bin_stats.bin_positives,
        bin_stats.bin_negatives,
        bin_stats.weight_of_evidence,
        bin_stats.information_value_part,
        feature_selected.information_value as feature_information_value,
        bin_stats.reference_rank = 1 and bin_stats.bin_kind <> 'missing' as is_reference_bin,
        case
            when bin_stats.bin_kind = 'missing' then 0.0
            else bin_stats.weight_of_evidence - reference.reference_woe
        end as relative_woe,
        feature_selected.is_eligible and feature_selected.selection_rank <= {{ max_features }}
            as is_selected_feature
    from bin_stats
    inner join reference
        on bin_stats.feature_name = reference.feature_name
    inner join feature_selected
        on bin_stats.feature_name = feature_selected.feature_name
    inner join feature_catalog
        on bin_stats.feature_name = feature_catalog.feature_name
)

select * from final
