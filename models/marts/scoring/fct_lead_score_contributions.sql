{#- Why each lead has its score: every rule that fired for the lead's live rule set of each scoring
    model on the as-of date, with its points after decay and caps and a readable reason ("Visited
    pricing 4x in 30 days: +12.47"), and a lifecycle reset in effect as a 0-point row ("Engagement
    reset: opportunity closed lost on 2026-05-04"). A lead's rows of a model add up exactly to its
    total_score in fct_lead_scores. -#}

with

current_scores as (
    select * from {{ ref('int_lead_scores_current') }}
),

contributions as (
    select * from {{ ref('int_lead_score_contributions') }}
),

live_contributions as (
    select
        current_scores.scoring_model,
        contributions.lead_id,
        contributions.as_of_date,
        contributions.rule_set_version,
        contributions.rule_id,
        contributions.category,
        contributions.feature_name,
        contributions.reason,
        contributions.points_raw,
        contributions.decay_factor,
        contributions.cap_factor,
        contributions.points,
        case
            when contributions.feature_value_text is not null
                then contributions.feature_value_text
            when contributions.feature_value_numeric = round(contributions.feature_value_numeric)
                then cast(
                    cast(contributions.feature_value_numeric as {{ dbt.type_bigint() }})
                    as {{ dbt.type_string() }}
                )
            else cast(
                round(cast(contributions.feature_value_numeric as {{ dbt.type_numeric() }}), 1)
                as {{ dbt.type_string() }}
            )
        end as feature_value,
        case
            when contributions.points = round(contributions.points)
                then cast(
                    cast(contributions.points as {{ dbt.type_bigint() }}) as {{ dbt.type_string() }}
                )
            else cast(contributions.points as {{ dbt.type_string() }})
        end as points_text
    from contributions
    inner join current_scores
        on
            contributions.lead_id = current_scores.lead_id
            and contributions.as_of_date = current_scores.as_of_date
            and contributions.rule_set_version = current_scores.rule_set_version
),

final as (
    select
        live_contributions.scoring_model,
        live_contributions.lead_id,
        live_contributions.as_of_date,
        live_contributions.rule_set_version,
        live_contributions.rule_id,
        live_contributions.category,
        live_contributions.feature_name,
        live_contributions.feature_value,
        live_contributions.points_raw,
        live_contributions.decay_factor,
        live_contributions.cap_factor,
        live_contributions.points,
        -- a lifecycle reset's row (0 points) reads as its reason alone
        {% set points_suffix = dbt.concat([
            "': '",
            "case when live_contributions.points >= 0 then '+' else '' end",
            "live_contributions.points_text",
        ]) -%}
        {{ dbt.concat([
            "replace(live_contributions.reason, '{value}', coalesce(live_contributions.feature_value, ''))",
            "case when live_contributions.category = 'reset' then '' else " ~ points_suffix ~ " end",
        ]) }} as reason_text,
        -- reasons worth showing: rules (not the 0-100 bounds) that still count at least a cent
        case
            when live_contributions.category <> 'bounds' and live_contributions.points <> 0
                then row_number() over (
                    partition by
                        live_contributions.lead_id,
                        live_contributions.scoring_model,
                        live_contributions.category <> 'bounds' and live_contributions.points <> 0
                    order by abs(live_contributions.points) desc, live_contributions.rule_id
                )
        end as reason_rank
    from live_contributions
)

select * from final
