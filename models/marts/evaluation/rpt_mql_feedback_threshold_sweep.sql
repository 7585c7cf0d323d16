{#- MQL acceptance by sales for a sweep of score thresholds (0 to 100 in steps of var
    evaluation_threshold_step, default 5), per rule set: of the dispositioned leads
    (int_mql_feedback_scores) whose score as of the as-of date is at least the threshold, how many
    sales accepted, and how many it rejected as bad_fit, so the threshold can be set where sales
    accepts what it receives. -#}

{%- set step = evaluation_setting('evaluation_threshold_step') | int %}

with

scored as (
    select * from {{ ref('int_mql_feedback_scores') }}
),

thresholds as (
    {%- for threshold in range(0, 101, step) %}
        select {{ threshold }} as score_threshold
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
),

rule_sets as (
    select distinct
        scored.rule_set_version,
        scored.as_of_date
    from scored
),

swept as (
    select
        rule_sets.rule_set_version,
        rule_sets.as_of_date,
        thresholds.score_threshold,
        sum(case when scored.lead_id is not null then 1 else 0 end) as dispositioned_leads,
        sum(case when scored.is_accepted then 1 else 0 end) as accepted_leads,
        sum(case when scored.disposition_reason = 'bad_fit' then 1 else 0 end)
            as rejected_bad_fit_leads
    from rule_sets
    cross join thresholds
    left join scored
        on
            rule_sets.rule_set_version = scored.rule_set_version
            and thresholds.score_threshold <= scored.total_score
    group by rule_sets.rule_set_version, rule_sets.as_of_date, thresholds.score_threshold
),

final as (
    select
        swept.rule_set_version,
        swept.as_of_date,
        swept.score_threshold,
        swept.dispositioned_leads,
        swept.accepted_leads,
        swept.dispositioned_leads - swept.accepted_leads as rejected_leads,
        swept.rejected_bad_fit_leads,
        case
            when swept.dispositioned_leads > 0
                then cast(swept.accepted_leads as {{ type_double() }}) / swept.dispositioned_leads
        end as acceptance_rate
    from swept
)

select * from final
