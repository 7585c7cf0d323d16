{#- Lead qualification accuracy of each rule set's MQL flag on the held-out sample, per cut-off and
    persona ('all' = every persona): precision (MQLs that converted in the label window / MQLs),
    recall (converters flagged MQL / converters), F1 and accuracy. -#}

with

holdout as (
    select * from {{ ref('int_backtest_holdout_by_persona') }}
),

counts as (
    select
        holdout.as_of_date,
        holdout.contender as rule_set_version,
        holdout.persona_group as persona,
        count(*) as lead_count,
        sum(case when holdout.is_mql then 1 else 0 end) as mql_count,
        sum(case when holdout.is_converted then 1 else 0 end) as conversions,
        sum(case when holdout.is_mql and holdout.is_converted then 1 else 0 end)
            as true_positives,
        sum(case when not holdout.is_mql and not holdout.is_converted then 1 else 0 end)
            as true_negatives
    from holdout
    where holdout.contender_kind = 'rule_set'
    group by holdout.as_of_date, holdout.contender, holdout.persona_group
),

rates as (
    select
        counts.*,
        case
            when counts.mql_count > 0
                then cast(counts.true_positives as {{ type_double() }}) / counts.mql_count
        end as mql_precision,
        case
            when counts.conversions > 0
                then cast(counts.true_positives as {{ type_double() }}) / counts.conversions
        end as mql_recall
    from counts
),

final as (
    select
        rates.as_of_date,
        rates.rule_set_version,
        rates.persona,
        rates.lead_count,
        rates.mql_count,
        rates.conversions,
        rates.true_positives,
        rates.mql_count - rates.true_positives as false_positives,
        rates.conversions - rates.true_positives as false_negatives,
        rates.true_negatives,
        rates.mql_precision,
        rates.mql_recall,
        case
            when rates.mql_precision + rates.mql_recall > 0
                then
                    2 * rates.mql_precision * rates.mql_recall
                    / (rates.mql_precision + rates.mql_recall)
        end as mql_f1,
        cast(rates.true_positives + rates.true_negatives as {{ type_double() }})
        / rates.lead_count as accuracy
    from rates
)

select * from final
