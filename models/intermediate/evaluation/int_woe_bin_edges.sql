{{ config(materialized='table') }}

{#- Bin definitions for weight of evidence, per feature, from the 'train' sample of the backtest
    only, for whatever features int_lead_features_long holds (value types from seed feature_catalog).
    - Numeric and boolean features, whole or fractional: quantile bins first (a value starts a new
      bin when the rows below it cross a 1/n quantile, n = evaluation_woe_max_bins or fewer so that
      every bin holds at least evaluation_woe_min_bin_leads rows, and at least that many rows remain
      from it upwards); a bin still smaller than that joins the next one; then adjacent bins are
      merged until the conversion rate is monotonic
      (weighted isotonic regression, increasing or decreasing, whichever fits the bins' rates
      better: bins with the same fitted rate become one). A bin runs from its lowest training value
      (the first is open below) to the next bin's lowest value minus one for whole-number features,
      to its highest training value for fractional ones (the last is open above).
    - Text features: one bin per value with at least evaluation_woe_min_bin_leads training rows, the
      others in 'other'.
    - A 'missing' bin (number 0) for null values. -#}

{%- set max_bins = evaluation_setting('evaluation_woe_max_bins') | int %}
{%- set min_bin_leads = evaluation_setting('evaluation_woe_min_bin_leads') | int %}

with

labels as (
    select * from {{ ref('int_backtest_labels') }}
),

features as (
    select * from {{ ref('int_lead_features_long') }}
),

feature_catalog as (
    select * from {{ ref('int_feature_catalog') }}
),

training_values as (
    select
        features.feature_name,
        feature_catalog.value_type,
        features.feature_value_numeric,
        lower(features.feature_value_text) as feature_value_text,
        case when labels.is_converted then 1 else 0 end as is_positive
    from labels
    inner join features
        on
            labels.lead_id = features.lead_id
            and labels.as_of_date = features.as_of_date
    inner join feature_catalog
        on features.feature_name = feature_catalog.feature_name
    where labels.sample = 'train'
),

numeric_features as (
    select
        training_values.feature_name,
        max(
            case
                when
                    training_values.feature_value_numeric
                    <> floor(training_values.feature_value_numeric)
                    then 1
                else 0
            end
        ) = 0 as is_whole_number,
        greatest(
            1,
            least(
                {{ max_bins }},
                floor(count(training_values.feature_value_numeric) / {{ min_bin_leads }}.0)
            )
        ) as tile_count
    from training_values
    where training_values.value_type in ('numeric', 'boolean')
    group by training_values.feature_name
    having count(training_values.feature_value_numeric) > 0
),

numeric_value_counts as (
    select
        training_values.feature_name,
        training_values.feature_value_numeric as feature_value,
        count(*) as value_rows,
        sum(training_values.is_positive) as value_positives
    from training_values
    inner join numeric_features
        on training_values.feature_name = numeric_features.feature_name
    where training_values.feature_value_numeric is not null
    group by training_values.feature_name, training_values.feature_value_numeric
),

numeric_tiles as (
    select
        numeric_value_counts.feature_name,
        numeric_value_counts.feature_value,
        numeric_value_counts.value_rows,
        numeric_value_counts.value_positives,
        coalesce(sum(numeric_value_counts.value_rows) over (
            partition by numeric_value_counts.feature_name
            order by numeric_value_counts.feature_value
            rows between unbounded preceding and 1 preceding
        ), 0) as rows_below,
        sum(numeric_value_counts.value_rows) over (
            partition by numeric_value_counts.feature_name
        ) as feature_rows,
        numeric_features.tile_count
    from numeric_value_counts
    inner join numeric_features
        on numeric_value_counts.feature_name = numeric_features.feature_name
),

numeric_starts as (
    select
        numeric_tiles.feature_name,
        numeric_tiles.feature_value,
        numeric_tiles.value_rows,
        numeric_tiles.value_positives,
        case
            when
                lag(numeric_tiles.feature_value) over (
                    partition by numeric_tiles.feature_name order by numeric_tiles.feature_value
                ) is null
                then 1
            when
                floor(
                    numeric_tiles.tile_count * numeric_tiles.rows_below / numeric_tiles.feature_rows
                )
                > floor(
                    numeric_tiles.tile_count
                    * (numeric_tiles.rows_below - lag(numeric_tiles.value_rows) over (
                        partition by numeric_tiles.feature_name
                        order by numeric_tiles.feature_value
                    ))
                    / numeric_tiles.feature_rows
                )
                and numeric_tiles.feature_rows - numeric_tiles.rows_below >= {{ min_bin_leads }}
                then 1
            else 0
        end as starts_bin
    from numeric_tiles
),

numeric_value_bins as (
    select
        numeric_starts.feature_name,
        numeric_starts.feature_value,
        numeric_starts.value_rows,
        numeric_starts.value_positives,
        sum(numeric_starts.starts_bin) over (
            partition by numeric_starts.feature_name
            order by numeric_starts.feature_value
            rows between unbounded preceding and current row
        ) as quantile_bin
    from numeric_starts
),

raw_quantile_bins as (
    select
        numeric_value_bins.feature_name,
        numeric_value_bins.quantile_bin,
        min(numeric_value_bins.feature_value) as min_value,
        max(numeric_value_bins.feature_value) as max_value,
        sum(numeric_value_bins.value_rows) as bin_rows,
        sum(numeric_value_bins.value_positives) as bin_positives
    from numeric_value_bins
    group by numeric_value_bins.feature_name, numeric_value_bins.quantile_bin
),

{# A quantile bin with fewer than min_bin_leads rows joins the bin after it (the last bin always
   has enough rows: a bin starts only where that many remain). #}
size_starts as (
    select
        raw_quantile_bins.*,
        case
            when
                lag(raw_quantile_bins.bin_rows) over (
                    partition by raw_quantile_bins.feature_name
                    order by raw_quantile_bins.quantile_bin
                ) < {{ min_bin_leads }}
                then 0
            else 1
        end as starts_bin
    from raw_quantile_bins
),

sized_values as (
    select
        size_starts.*,
        sum(size_starts.starts_bin) over (
            partition by size_starts.feature_name
            order by size_starts.quantile_bin
            rows between unbounded preceding and current row
        ) as sized_bin
    from size_starts
),

quantile_bins as (
    select
        sized_values.feature_name,
        sized_values.sized_bin as quantile_bin,
        min(sized_values.min_value) as min_value,
        max(sized_values.max_value) as max_value,
        sum(sized_values.bin_rows) as bin_rows,
        sum(sized_values.bin_positives) as bin_positives
    from sized_values
    group by sized_values.feature_name, sized_values.sized_bin
),

quantile_cumulative as (
    select
        quantile_bins.*,
        sum(quantile_bins.bin_rows) over (
            partition by quantile_bins.feature_name
            order by quantile_bins.quantile_bin
            rows between unbounded preceding and current row
        ) as rows_through,
        sum(quantile_bins.bin_positives) over (
            partition by quantile_bins.feature_name
            order by quantile_bins.quantile_bin
            rows between unbounded preceding and current row
        ) as positives_through
    from quantile_bins
),

{# Isotonic regression by its min-max formula: the increasing fit of bin i is the largest, over
   the segments starting at or before i, of the smallest conversion rate of a segment from that
   start to a bin at or after i (the decreasing fit swaps min and max). At most max_bins bins per
   feature, so every segment is enumerated. #}
segments as (
    select
        first_bins.feature_name,
        first_bins.quantile_bin as first_bin,
        last_bins.quantile_bin as last_bin,
        cast(
            last_bins.positives_through - first_bins.positives_through + first_bins.bin_positives
            as {{ type_double() }}
        )
        / (last_bins.rows_through - first_bins.rows_through + first_bins.bin_rows) as segment_rate
    from quantile_cumulative as first_bins
    inner join quantile_cumulative as last_bins
        on
            first_bins.feature_name = last_bins.feature_name
            and first_bins.quantile_bin <= last_bins.quantile_bin
),

segment_bounds as (
    select
        quantile_bins.feature_name,
        quantile_bins.quantile_bin,
        segments.first_bin,
        min(segments.segment_rate) as min_rate_from_start,
        max(segments.segment_rate) as max_rate_from_start
    from quantile_bins
    inner join segments
        on
            quantile_bins.feature_name = segments.feature_name
            and quantile_bins.quantile_bin >= segments.first_bin
            and quantile_bins.quantile_bin <= segments.last_bin
    group by quantile_bins.feature_name, quantile_bins.quantile_bin, segments.first_bin
),

isotonic_fits as (
    select
        segment_bounds.feature_name,
        segment_bounds.quantile_bin,
        max(segment_bounds.min_rate_from_start) as increasing_fit,
        min(segment_bounds.max_rate_from_start) as decreasing_fit
    from segment_bounds
    group by segment_bounds.feature_name, segment_bounds.quantile_bin
),

fitted as (
    select
        quantile_bins.feature_name,
        quantile_bins.quantile_bin,
        quantile_bins.min_value,
        quantile_bins.max_value,
        quantile_bins.bin_rows,
        isotonic_fits.increasing_fit,
        isotonic_fits.decreasing_fit,
        sum(
            quantile_bins.bin_rows * power(
                cast(quantile_bins.bin_positives as {{ type_double() }}) / quantile_bins.bin_rows
                - isotonic_fits.increasing_fit,
                2
            )
        ) over (partition by quantile_bins.feature_name) as increasing_error,
        sum(
            quantile_bins.bin_rows * power(
                cast(quantile_bins.bin_positives as {{ type_double() }}) / quantile_bins.bin_rows
                - isotonic_fits.decreasing_fit,
                2
            )
        ) over (partition by quantile_bins.feature_name) as decreasing_error
    from quantile_bins
    inner join isotonic_fits
        on
            quantile_bins.feature_name = isotonic_fits.feature_name
            and quantile_bins.quantile_bin = isotonic_fits.quantile_bin
),

monotonic as (
    select
        fitted.feature_name,
        fitted.quantile_bin,
        fitted.min_value,
        fitted.max_value,
        round(
            cast(
                case
                    when fitted.increasing_error <= fitted.decreasing_error
                        then fitted.increasing_fit
                    else fitted.decreasing_fit
                end as decimal(38, 15)
            ),
            12
        ) as fitted_rate
    from fitted
),

merge_starts as (
    select
        monotonic.feature_name,
        monotonic.quantile_bin,
        monotonic.min_value,
        monotonic.max_value,
        case
            when
                monotonic.fitted_rate = lag(monotonic.fitted_rate) over (
                    partition by monotonic.feature_name order by monotonic.quantile_bin
                )
                then 0
            else 1
        end as starts_bin
    from monotonic
),

merged_values as (
    select
        merge_starts.feature_name,
        merge_starts.min_value,
        merge_starts.max_value,
        sum(merge_starts.starts_bin) over (
            partition by merge_starts.feature_name
            order by merge_starts.quantile_bin
            rows between unbounded preceding and current row
        ) as bin_number
    from merge_starts
),

merged_bins as (
    select
        merged_values.feature_name,
        merged_values.bin_number,
        min(merged_values.min_value) as min_value,
        max(merged_values.max_value) as max_value
    from merged_values
    group by merged_values.feature_name, merged_values.bin_number
),

numeric_bins as (
    select
        merged_bins.feature_name,
        merged_bins.bin_number,
        'range' as bin_kind,
        case when merged_bins.bin_number > 1 then merged_bins.min_value end as lower_value,
        case
            when numeric_features.is_whole_number
                then
                    lead(merged_bins.min_value) over (
                        partition by merged_bins.feature_name order by merged_bins.bin_number
                    ) - 1
            when
                lead(merged_bins.min_value) over (
                    partition by merged_bins.feature_name order by merged_bins.bin_number
                ) is not null
                then merged_bins.max_value
        end as upper_value,
        cast(null as {{ dbt.type_string() }}) as text_value
    from merged_bins
    inner join numeric_features
        on merged_bins.feature_name = numeric_features.feature_name
),

text_value_counts as (
    select
        training_values.feature_name,
        training_values.feature_value_text as text_value,
        count(*) as value_rows
    from training_values
    where training_values.value_type = 'text' and training_values.feature_value_text is not null
    group by training_values.feature_name, training_values.feature_value_text
),

text_bins as (
    select
        text_value_counts.feature_name,
        row_number() over (
            partition by text_value_counts.feature_name order by text_value_counts.text_value
        ) as bin_number,
        'value' as bin_kind,
        cast(null as {{ type_double() }}) as lower_value,
        cast(null as {{ type_double() }}) as upper_value,
        text_value_counts.text_value
    from text_value_counts
    where text_value_counts.value_rows >= {{ min_bin_leads }}
),

text_other_bins as (
    select
        text_value_counts.feature_name,
        1000 as bin_number,
        'other' as bin_kind,
        cast(null as {{ type_double() }}) as lower_value,
        cast(null as {{ type_double() }}) as upper_value,
        cast(null as {{ dbt.type_string() }}) as text_value
    from text_value_counts
    group by text_value_counts.feature_name
    having min(text_value_counts.value_rows) < {{ min_bin_leads }}
),

missing_bins as (
    select
        training_values.feature_name,
        0 as bin_number,
        'missing' as bin_kind,
        cast(null as {{ type_double() }}) as lower_value,
        cast(null as {{ type_double() }}) as upper_value,
        cast(null as {{ dbt.type_string() }}) as text_value
    from training_values
    where training_values.value_type in ('text', 'numeric', 'boolean')
    group by training_values.feature_name
    having
        sum(
            case
                when
                    training_values.feature_value_numeric is null
                    and training_values.feature_value_text is null
                    then 1
                else 0
            end
        ) > 0
),

all_bins as (
    select * from numeric_bins
    union all
    select * from text_bins
    union all
    select * from text_other_bins
    union all
    select * from missing_bins
),

final as (
    select
        all_bins.feature_name,
        cast(all_bins.bin_number as {{ dbt.type_int() }}) as bin_number,
        all_bins.bin_kind,
        all_bins.lower_value,
        all_bins.upper_value,
        all_bins.text_value
    from all_bins
)

select * from final
