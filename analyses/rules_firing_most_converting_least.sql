-- Which scoring rules fire most and convert least? For every active rule of every rule set, on the
-- held-out backtest leads: how often it fired at the cut-off, the conversion rate of the leads it
-- fired for, and that rate against all held-out leads (lift < 1: the rule gives points to leads
-- that convert less than average). Compile with `dbt compile`, run the SQL in target/compiled/.

with

labels as (
    select * from {{ ref('int_backtest_labels') }}
),

rule_hits as (
    select * from {{ ref('int_lead_rule_hits') }}
),

rules as (
    select * from {{ ref('int_scoring_rules') }}
),

holdout as (
    select
        labels.lead_id,
        labels.as_of_date,
        labels.is_converted
    from labels
    where labels.sample = 'holdout'
),

overall as (
    select
        count(*) as lead_count,
        avg(case when holdout.is_converted then 1.0 else 0.0 end) as conversion_rate
    from holdout
),

fired as (
    select
        rule_hits.rule_set_version,
        rule_hits.rule_id,
        count(distinct holdout.lead_id) as leads_fired,
        avg(case when holdout.is_converted then 1.0 else 0.0 end) as conversion_rate
    from rule_hits
    inner join holdout
        on
            rule_hits.lead_id = holdout.lead_id
            and rule_hits.as_of_date = holdout.as_of_date
    group by rule_hits.rule_set_version, rule_hits.rule_id
),

final as (
    select
        rules.rule_set_version,
        rules.rule_id,
        rules.category,
        rules.feature_name,
        rules.points,
        coalesce(fired.leads_fired, 0) as leads_fired,
        coalesce(fired.leads_fired, 0)
        / cast(overall.lead_count as {{ type_double() }}) as fire_rate,
        fired.conversion_rate,
        fired.conversion_rate / nullif(overall.conversion_rate, 0) as lift
    from rules
    cross join overall
    left join fired
        on
            rules.rule_set_version = fired.rule_set_version
            and rules.rule_id = fired.rule_id
    where rules.is_active
)

select * from final
order by fire_rate desc, lift asc
