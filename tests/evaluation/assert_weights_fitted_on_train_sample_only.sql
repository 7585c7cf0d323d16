{#- Weights are fitted on the 'train' sample only: every feature's WoE bins count exactly the
    training rows (never a held-out row), and with a time split every held-out cut-off comes after the training
    cut-off (early negatives, training rows of the first held-out cut-off, see int_backtest_labels,
    apart). Returns a row per violation. -#}

with

woe_bins as (
    select * from {{ ref('int_woe_bins') }}
),

labels as (
    select * from {{ ref('int_backtest_labels') }}
),

training_rows as (
    select count(*) as row_count
    from labels
    where labels.sample = 'train'
),

binned_rows as (
    select
        woe_bins.feature_name,
        sum(woe_bins.bin_rows) as row_count
    from woe_bins
    group by woe_bins.feature_name
),

split_dates as (
    select
        max(
            case
                when
                    labels.sample = 'train' and labels.label_source = 'outcome'
                    then labels.as_of_date
            end
        ) as last_train_date,
        min(case when labels.sample = 'holdout' then labels.as_of_date end) as first_holdout_date
    from labels
    where labels.split_method = 'time'
)

select
    binned_rows.feature_name as problem_subject,
    'woe bins count ' || cast(binned_rows.row_count as {{ dbt.type_string() }})
    || ' rows, the train sample has '
    || cast(training_rows.row_count as {{ dbt.type_string() }}) as problem
from binned_rows
cross join training_rows
where binned_rows.row_count <> training_rows.row_count
union all
select
    'time split' as problem_subject,
    'a held-out cut-off is not after the training cut-off' as problem
from split_dates
where split_dates.first_holdout_date <= split_dates.last_train_date
