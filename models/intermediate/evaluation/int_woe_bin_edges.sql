{{ config(materialized='table') }}

{#- Bin definitions for weight of evidence, per feature, from the 'train' sample of the backtest
    only. Bins:
    - numeric and boolean features whose training values are all whole numbers: a value starts a
      new bin when the rows below it cross a 1/max_bins quantile (and at least min_bin_leads rows
      remain from it upwards); a bin covers whole numbers from its lower bound to the next bin's
      lower bound minus one (the first is open below, the last open above);
    - text features: one bin per value with at least min_bin_leads training rows, the others in
      'other';
    - a 'missing' bin (number 0) for null values. -#}

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
        feature_catalog.feature_family,
        feature_catalog.value_type,
        features.feature_value_numeric,
        lower(features.feature_value_text) as feature_value_text
    from labels
    inner join features
        on
            labels.lead_id = features.lead_id
            and labels.as_of_date = features.as_of_date
    inner join feature_catalog
        on features.feature_name = feature_catalog.feature_name
    where labels.sample = 'train'
),

binnable_numeric as (
    select training_values.feature_name
    from training_values
    where training_values.value_type in ('numeric', 'boolean')
    group by training_values.feature_name
    having
        count(training_values.feature_value_numeric) > 0
        and max(
            case
                when
                    training_values.feature_value_numeric
                    <> floor(training_values.feature_value_numeric)
                    then 1
                else 0
            end
        ) = 0
),

numeric_value_counts as (
    select
        training_values.feature_name,
        training_values.feature_value_numeric as feature_value,
        count(*) as value_rows
    from training_values
    inner join binnable_numeric
        on training_values.feature_name = binnable_numeric.feature_name
    where training_values.feature_value_numeric is not null
    group by training_values.feature_name, training_values.feature_value_numeric
),

numeric_cumulative as (
    select
        numeric_value_counts.feature_name,
        numeric_value_counts.feature_value,
        numeric_value_counts.value_rows,
        coalesce(sum(numeric_value_counts.value_rows) over (
            partition by numeric_value_counts.feature_name
            order by numeric_value_counts.feature_value
            rows between unbounded preceding and 1 preceding
        ), 0) as rows_below,
        sum(numeric_value_counts.value_rows) over (
            partition by numeric_value_counts.feature_name
        ) as feature_rows
    from numeric_value_counts
),

numeric_tiles as (
    select
        numeric_cumulative.feature_name,
        numeric_cumulative.feature_value,
        numeric_cumulative.rows_below,
        numeric_cumulative.feature_rows,
        floor(
            {{ max_bins }} * numeric_cumulative.rows_below
            / cast(numeric_cumulative.feature_rows as {{ type_double() }})
        ) as quantile_tile
    from numeric_cumulative
),

numeric_starts as (
    select
        numeric_tiles.feature_name,
        numeric_tiles.feature_value,
        case
            when
                lag(numeric_tiles.quantile_tile) over (
                    partition by numeric_tiles.feature_name order by numeric_tiles.feature_value
                ) is null
                then 1
            when
                numeric_tiles.quantile_tile > lag(numeric_tiles.quantile_tile)
                    over (
                        partition by numeric_tiles.feature_name order by numeric_tiles.feature_value
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
        sum(numeric_starts.starts_bin) over (
            partition by numeric_starts.feature_name
            order by numeric_starts.feature_value
            rows between unbounded preceding and current row
        ) as bin_number
    from numeric_starts
),

numeric_bin_bounds as (
    select
        numeric_value_bins.feature_name,
        numeric_value_bins.bin_number,
        min(numeric_value_bins.feature_value) as bin_min_value
    from numeric_value_bins
    group by numeric_value_bins.feature_name, numeric_value_bins.bin_number
),

numeric_bins as (
    select
        numeric_bin_bounds.feature_name,
        numeric_bin_bounds.bin_number,
        'range' as bin_kind,
        case
            when numeric_bin_bounds.bin_number > 1 then numeric_bin_bounds.bin_min_value
        end as lower_value,
        lead(numeric_bin_bounds.bin_min_value) over (
            partition by numeric_bin_bounds.feature_name order by numeric_bin_bounds.bin_number
        ) - 1 as upper_value,
        cast(null as {{ dbt.type_string() }}) as text_value
    from numeric_bin_bounds
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
    where
        training_values.value_type = 'text'
        or training_values.feature_name in (
            select binnable_numeric.feature_name from binnable_numeric
        )
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
        all_bins.bin_number,
        all_bins.bin_kind,
        all_bins.lower_value,
        all_bins.upper_value,
        all_bins.text_value
    from all_bins
)

select * from final
