{#- Conversion rate and lift by score decile on the held-out sample, per cut-off, contender and
    persona ('all' = every persona): decile 1 holds the 10% highest scores (ties broken by lead id,
    so the split is deterministic). Lift = the decile's conversion rate / the group's rate;
    cumulative_capture = share of all the group's conversions in this decile and the ones above. -#}

with

holdout as (
    select * from {{ ref('int_backtest_holdout_by_persona') }}
),

ranked as (
    select
        holdout.as_of_date,
        holdout.contender,
        holdout.contender_kind,
        holdout.persona_group as persona,
        holdout.score,
        holdout.is_converted,
        holdout.is_won,
        ntile(10) over (
            partition by
                holdout.as_of_date, holdout.contender, holdout.persona_group
            order by holdout.score desc, holdout.lead_id asc
        ) as score_decile
    from holdout
),

deciles as (
    select
        ranked.as_of_date,
        ranked.contender,
        ranked.contender_kind,
        ranked.persona,
        ranked.score_decile,
        count(*) as lead_count,
        min(ranked.score) as min_score,
        max(ranked.score) as max_score,
        sum(case when ranked.is_converted then 1 else 0 end) as conversions,
        sum(case when ranked.is_won then 1 else 0 end) as wins
    from ranked
    group by
        ranked.as_of_date, ranked.contender, ranked.contender_kind, ranked.persona,
        ranked.score_decile
),

with_totals as (
    select
        deciles.*,
        sum(deciles.lead_count) over (
            partition by deciles.as_of_date, deciles.contender, deciles.persona
        ) as group_leads,
        sum(deciles.conversions) over (
            partition by deciles.as_of_date, deciles.contender, deciles.persona
        ) as group_conversions,
        sum(deciles.conversions) over (
            partition by deciles.as_of_date, deciles.contender, deciles.persona
            order by deciles.score_decile
            rows between unbounded preceding and current row
        ) as cumulative_conversions
    from deciles
),

final as (
    select
        with_totals.as_of_date,
        with_totals.contender,
        with_totals.contender_kind,
        with_totals.persona,
        with_totals.score_decile,
        with_totals.lead_count,
        with_totals.min_score,
        with_totals.max_score,
        with_totals.conversions,
        with_totals.wins,
        cast(with_totals.conversions as {{ type_double() }}) / with_totals.lead_count
            as conversion_rate,
        case
            when with_totals.group_conversions > 0
                then
                    (cast(with_totals.conversions as {{ type_double() }}) / with_totals.lead_count)
                    / (
                        cast(with_totals.group_conversions as {{ type_double() }})
                        / with_totals.group_leads
                    )
        end as lift,
        case
            when with_totals.group_conversions > 0
                then
                    cast(with_totals.cumulative_conversions as {{ type_double() }})
                    / with_totals.group_conversions
        end as cumulative_capture
    from with_totals
)

select * from final
