{#- The rules that fire on the MQLs sales rejects, per rule set and rule: among the rule set's
    dispositioned MQLs (int_mql_feedback_scores, is_mql as of the as-of date), those where the rule
    fired as of that date (int_lead_rule_hits), how many sales accepted and rejected (and as bad_fit),
    the acceptance rate of the MQLs it fires on, its share of the rejected and of the accepted MQLs,
    and its rank among the rule set's rules by the rejected MQLs it fires on (1 = fires on the most;
    ties by the lower acceptance rate, then rule id). A rule that fires on rejected MQLs much more
    often than on accepted ones (rejected_to_accepted_ratio well above 1) is a candidate for fewer
    points. -#}

with

scored as (
    select * from {{ ref('int_mql_feedback_scores') }}
),

rule_hits as (
    select * from {{ ref('int_lead_rule_hits') }}
),

mqls as (
    select
        scored.lead_id,
        scored.rule_set_version,
        scored.as_of_date,
        scored.is_accepted,
        scored.disposition_reason
    from scored
    where scored.is_mql
),

rule_set_totals as (
    select
        mqls.rule_set_version,
        sum(case when mqls.is_accepted then 1 else 0 end) as accepted_mqls,
        sum(case when not mqls.is_accepted then 1 else 0 end) as rejected_mqls
    from mqls
    group by mqls.rule_set_version
),

fired as (
    select distinct
        mqls.lead_id,
        mqls.rule_set_version,
        rule_hits.rule_id,
        mqls.is_accepted,
        mqls.disposition_reason
    from mqls
    inner join rule_hits
        on
            mqls.lead_id = rule_hits.lead_id
            and mqls.as_of_date = rule_hits.as_of_date
            and mqls.rule_set_version = rule_hits.rule_set_version
),

per_rule as (
    select
        fired.rule_set_version,
        fired.rule_id,
        count(*) as fired_mqls,
        sum(case when fired.is_accepted then 1 else 0 end) as accepted_fired_mqls,
        sum(case when not fired.is_accepted then 1 else 0 end) as rejected_fired_mqls,
        sum(case when fired.disposition_reason = 'bad_fit' then 1 else 0 end)
            as rejected_bad_fit_fired_mqls
    from fired
    group by fired.rule_set_version, fired.rule_id
),

rates as (
    select
        per_rule.*,
        cast(per_rule.accepted_fired_mqls as {{ type_double() }}) / per_rule.fired_mqls
            as acceptance_rate,
        case
            when rule_set_totals.rejected_mqls > 0
                then
                    cast(per_rule.rejected_fired_mqls as {{ type_double() }})
                    / rule_set_totals.rejected_mqls
        end as share_of_rejected_mqls,
        case
            when rule_set_totals.accepted_mqls > 0
                then
                    cast(per_rule.accepted_fired_mqls as {{ type_double() }})
                    / rule_set_totals.accepted_mqls
        end as share_of_accepted_mqls
    from per_rule
    inner join rule_set_totals
        on per_rule.rule_set_version = rule_set_totals.rule_set_version
),

final as (
    select
        rates.rule_set_version,
        rates.rule_id,
        rates.fired_mqls,
        rates.accepted_fired_mqls,
        rates.rejected_fired_mqls,
        rates.rejected_bad_fit_fired_mqls,
        rates.acceptance_rate,
        rates.share_of_rejected_mqls,
        rates.share_of_accepted_mqls,
        case
            when rates.share_of_accepted_mqls > 0
                then rates.share_of_rejected_mqls / rates.share_of_accepted_mqls
        end as rejected_to_accepted_ratio,
        row_number() over (
            partition by rates.rule_set_version
            order by rates.rejected_fired_mqls desc, rates.acceptance_rate asc, rates.rule_id asc
        ) as rejected_rank
    from rates
)

select * from final
