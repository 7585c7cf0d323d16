-- Which behaviours are most tied to conversion? Held-out backtest leads in cohorts by trial
-- activation and feature adoption as of the cut-off, with their conversion rate in the label window
-- and lift over all held-out leads; then the features with the highest information value (fitted on
-- the training cut-off). Compile with `dbt compile`, run the SQL in target/compiled/.

with

labels as (
    select * from {{ ref('int_backtest_labels') }}
),

product as (
    select * from {{ ref('int_lead_features_product') }}
),

information_values as (
    select * from {{ ref('rpt_feature_information_value') }}
),

holdout as (
    select
        labels.lead_id,
        labels.is_converted,
        coalesce(product.product_has_started_trial, false) as has_started_trial,
        case
            when coalesce(product.product_features_adopted, 0) = 0 then '0 features'
            when product.product_features_adopted <= 2 then '1-2 features'
            else '3+ features'
        end as feature_adoption
    from labels
    left join product
        on
            labels.lead_id = product.lead_id
            and labels.as_of_date = product.as_of_date
    where labels.sample = 'holdout'
),

overall as (
    select avg(case when holdout.is_converted then 1.0 else 0.0 end) as conversion_rate
    from holdout
),

cohorts as (
    select
        holdout.has_started_trial,
        holdout.feature_adoption,
        count(*) as lead_count,
        sum(case when holdout.is_converted then 1 else 0 end) as conversions,
        avg(case when holdout.is_converted then 1.0 else 0.0 end) as conversion_rate
    from holdout
    group by holdout.has_started_trial, holdout.feature_adoption
),

final as (
    select
        'cohort' as row_kind,
        case when cohorts.has_started_trial then 'trial started' else 'no trial' end
        || ', ' || cohorts.feature_adoption as subject,
        cohorts.lead_count,
        cohorts.conversions,
        cohorts.conversion_rate,
        cohorts.conversion_rate / nullif(overall.conversion_rate, 0) as lift
    from cohorts
    cross join overall
    union all
    select
        'feature' as row_kind,
        information_values.feature_name || ' (IV ' || cast(
            round(information_values.information_value, 3) as {{ dbt.type_string() }}
        ) || ')' as subject,
        information_values.training_rows as lead_count,
        null as conversions,
        null as conversion_rate,
        null as lift
    from information_values
    where information_values.information_value_rank <= 10
)

select * from final
order by row_kind asc, lift desc nulls last, subject asc
