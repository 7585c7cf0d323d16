{#- MQL acceptance by sales per rule set: of the leads sales has dispositioned (their standing
    disposition, int_mql_feedback_scores), those each active rule set makes MQLs as of the as-of
    date, how many sales accepted (acceptance rate = accepted MQLs / dispositioned MQLs) and why it
    rejected the others; and the dispositioned leads the rule set would not have sent, with the share
    of them sales had accepted (what the rule set would have missed). -#}

{%- set reasons = mql_feedback_values()['rejected'] %}

with

scored as (
    select * from {{ ref('int_mql_feedback_scores') }}
),

counts as (
    select
        scored.rule_set_version,
        scored.as_of_date,
        count(*) as dispositioned_leads,
        sum(case when scored.is_mql then 1 else 0 end) as dispositioned_mqls,
        sum(case when scored.is_mql and scored.is_accepted then 1 else 0 end) as accepted_mqls,
        {%- for reason in reasons %}
            sum(
                case
                    when scored.is_mql and scored.disposition_reason = '{{ reason }}' then 1
                    else 0
                end
            ) as rejected_{{ reason }}_mqls,
        {%- endfor %}
        sum(case when not scored.is_mql then 1 else 0 end) as dispositioned_non_mqls,
        sum(case when not scored.is_mql and scored.is_accepted then 1 else 0 end)
            as accepted_non_mqls
    from scored
    group by scored.rule_set_version, scored.as_of_date
),

final as (
    select
        counts.rule_set_version,
        counts.as_of_date,
        counts.dispositioned_leads,
        counts.dispositioned_mqls,
        counts.accepted_mqls,
        counts.dispositioned_mqls - counts.accepted_mqls as rejected_mqls,
        {%- for reason in reasons %}
            counts.rejected_{{ reason }}_mqls,
        {%- endfor %}
        case
            when counts.dispositioned_mqls > 0
                then cast(counts.accepted_mqls as {{ type_double() }}) / counts.dispositioned_mqls
        end as mql_acceptance_rate,
        counts.dispositioned_non_mqls,
        counts.accepted_non_mqls,
        case
            when counts.dispositioned_non_mqls > 0
                then
                    cast(counts.accepted_non_mqls as {{ type_double() }})
                    / counts.dispositioned_non_mqls
        end as non_mql_acceptance_rate
    from counts
)

select * from final
