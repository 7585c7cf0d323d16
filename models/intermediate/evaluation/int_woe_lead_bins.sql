{{ config(materialized='table') }}

{#- The weight-of-evidence bin (int_woe_bin_edges) of every binned feature of every backtest row
    (train and holdout), and of the leads created in the evaluation_capacity_window_days before the
    run's as-of date (sample 'current': what the suggested points would make of today's new leads,
    for the MQL threshold of rpt_suggested_rule_set), one row per (lead, date, feature). Null values
    fall in bin 0 ('missing'), text values without a bin of their own in bin 1000 ('other'). -#}

{%- set capacity_window_days = evaluation_setting('evaluation_capacity_window_days') | int %}

with

labels as (
    select * from {{ ref('int_backtest_labels') }}
),

features as (
    select * from {{ ref('int_lead_features_long') }}
),

edges as (
    select * from {{ ref('int_woe_bin_edges') }}
),

spine as (
    select * from {{ ref('int_lead_scoring_spine') }}
),

scoring_dates as (
    select * from {{ ref('int_scoring_dates') }}
),

rows_to_bin as (
    select
        labels.lead_id,
        labels.as_of_date,
        labels.sample
    from labels
    union all
    select
        spine.lead_id,
        spine.as_of_date,
        'current' as sample -- noqa: RF04
    from spine
    inner join scoring_dates
        on spine.as_of_date = scoring_dates.as_of_date
    where
        scoring_dates.is_current_as_of_date
        and {{ dbt.datediff('spine.lead_created_at', 'spine.as_of_date', 'day') }}
        < {{ capacity_window_days }}
),

binned_features as (
    select distinct edges.feature_name
    from edges
),

lead_values as (
    select
        rows_to_bin.lead_id,
        rows_to_bin.as_of_date,
        rows_to_bin.sample,
        features.feature_name,
        features.feature_value_numeric,
        lower(features.feature_value_text) as feature_value_text
    from rows_to_bin
    inner join features
        on
            rows_to_bin.lead_id = features.lead_id
            and rows_to_bin.as_of_date = features.as_of_date
    inner join binned_features
        on features.feature_name = binned_features.feature_name
),

matched as (
    select
        lead_values.lead_id,
        lead_values.as_of_date,
        lead_values.sample,
        lead_values.feature_name,
        lead_values.feature_value_numeric,
        lead_values.feature_value_text,
        coalesce(range_bins.bin_number, value_bins.bin_number) as matched_bin_number
    from lead_values
    left join edges as range_bins
        on
            lead_values.feature_name = range_bins.feature_name
            and range_bins.bin_kind = 'range'
            and lead_values.feature_value_numeric is not null
            and (
                range_bins.lower_value is null
                or lead_values.feature_value_numeric >= range_bins.lower_value
            )
            and (
                range_bins.upper_value is null
                or lead_values.feature_value_numeric <= range_bins.upper_value
            )
    left join edges as value_bins
        on
            lead_values.feature_name = value_bins.feature_name
            and value_bins.bin_kind = 'value'
            and lead_values.feature_value_text = value_bins.text_value
),

final as (
    select
        matched.lead_id,
        matched.as_of_date,
        matched.sample,
        matched.feature_name,
        matched.feature_value_numeric,
        matched.feature_value_text,
        case
            when matched.matched_bin_number is not null then matched.matched_bin_number
            when matched.feature_value_numeric is null and matched.feature_value_text is null then 0
            when matched.feature_value_text is not null then 1000
            else -1
        end as bin_number
    from matched
)

select * from final
