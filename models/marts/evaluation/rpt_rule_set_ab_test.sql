{#- The live A/B test of rule sets within each scoring model: a model's leads are split between its
    rule sets by a hash of their lead id (shares in seed rule_set_assignment), each arm scored and
    routed by its own rules. One row per rule set (each belongs to one model), compared with the
    champion of its model: its leads (created on or after var evaluation_ab_test_start_date when set), MQLs, and
    conversions from CRM opportunities: lead-to-opportunity rate, MQL precision (MQLs with an
    opportunity / MQLs) and MQL recall (converted leads flagged MQL / converted leads), with the
    difference to the champion (the model's largest share) and a two-proportion z statistic for the MQL
    precision difference (|z| > 1.96: unlikely to be chance at the 5% level). -#}

{%- set start_date = evaluation_setting('evaluation_ab_test_start_date') %}

with

scores as (
    select * from {{ ref('int_lead_scores_current') }}
),

assignment as (
    select * from {{ ref('int_rule_set_assignment') }}
),

leads as (
    select * from {{ ref('int_leads_deduplicated') }}
),

outcomes as (
    select * from {{ ref('int_lead_outcomes') }}
),

champion as (
    select
        assignment.scoring_model,
        assignment.rule_set_version
    from assignment
    where assignment.is_champion
),

arm_leads as (
    select
        scores.rule_set_version,
        scores.is_mql,
        outcomes.has_opportunity,
        outcomes.is_won
    from scores
    inner join leads
        on scores.lead_id = leads.lead_id
    inner join outcomes
        on scores.lead_id = outcomes.lead_id
    {%- if start_date is not none and start_date != '' %}
    where leads.created_at >= cast('{{ start_date }}' as date)
    {%- endif %}
),

arms as (
    select
        assignment.scoring_model,
        assignment.rule_set_version,
        assignment.share_of_leads,
        count(arm_leads.rule_set_version) as lead_count,
        sum(case when arm_leads.is_mql then 1 else 0 end) as mql_count,
        sum(case when arm_leads.has_opportunity then 1 else 0 end) as converted_leads,
        sum(case when arm_leads.is_mql and arm_leads.has_opportunity then 1 else 0 end)
            as converted_mqls,
        sum(case when arm_leads.is_won then 1 else 0 end) as won_leads
    from assignment
    left join arm_leads
        on assignment.rule_set_version = arm_leads.rule_set_version
    group by assignment.scoring_model, assignment.rule_set_version, assignment.share_of_leads
),

rates as (
    select
        arms.*,
        case
            when arms.lead_count > 0
                then cast(arms.converted_leads as {{ type_double() }}) / arms.lead_count
        end as lead_conversion_rate,
        case
            when arms.mql_count > 0
                then cast(arms.converted_mqls as {{ type_double() }}) / arms.mql_count
        end as mql_precision,
        case
            when arms.converted_leads > 0
                then cast(arms.converted_mqls as {{ type_double() }}) / arms.converted_leads
        end as mql_recall
    from arms
),

champion_rates as (
    select
        rates.scoring_model,
        rates.mql_count as champion_mql_count,
        rates.converted_mqls as champion_converted_mqls,
        rates.mql_precision as champion_mql_precision,
        rates.lead_conversion_rate as champion_lead_conversion_rate
    from rates
    inner join champion
        on rates.rule_set_version = champion.rule_set_version
),

final as (
    select
        rates.scoring_model,
        rates.rule_set_version,
        rates.rule_set_version = champion.rule_set_version as is_champion,
        rates.share_of_leads,
        rates.lead_count,
        rates.mql_count,
        rates.converted_leads,
        rates.converted_mqls,
        rates.won_leads,
        rates.lead_conversion_rate,
        rates.mql_precision,
        rates.mql_recall,
        rates.lead_conversion_rate - champion_rates.champion_lead_conversion_rate
            as lead_conversion_rate_vs_champion,
        rates.mql_precision - champion_rates.champion_mql_precision as mql_precision_vs_champion,
        case
            when
                rates.rule_set_version <> champion.rule_set_version
                and rates.mql_count > 0
                and champion_rates.champion_mql_count > 0
                and champion_rates.champion_converted_mqls + rates.converted_mqls > 0
                and champion_rates.champion_converted_mqls + rates.converted_mqls
                < champion_rates.champion_mql_count + rates.mql_count
                then
                    (rates.mql_precision - champion_rates.champion_mql_precision)
                    / sqrt(
                        (
                            cast(
                                champion_rates.champion_converted_mqls + rates.converted_mqls
                                as {{ type_double() }}
                            )
                            / (champion_rates.champion_mql_count + rates.mql_count)
                        )
                        * (
                            1 - cast(
                                champion_rates.champion_converted_mqls + rates.converted_mqls
                                as {{ type_double() }}
                            )
                            / (champion_rates.champion_mql_count + rates.mql_count)
                        )
                        * (1.0 / rates.mql_count + 1.0 / champion_rates.champion_mql_count)
                    )
        end as mql_precision_z_vs_champion
    from rates
    inner join champion
        on rates.scoring_model = champion.scoring_model
    inner join champion_rates
        on rates.scoring_model = champion_rates.scoring_model
)

select * from final
