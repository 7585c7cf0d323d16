{#- Champion/challenger on the same held-out rows, one row per (cut-off, contender): the rule sets
    of the seeds, the points weight of evidence suggests and, with Python models on, the logistic
    regression. A rule set is compared with the champion of its scoring model (the rule set with
    the model's largest share in seed rule_set_assignment); learned contenders and rule sets in no
    model with the default model's champion. Figures (held-out sample only): ROC AUC for
    opportunities and won deals, the AUC gap to the best learned model (negative = the contender
    ranks worse than the learned weights), the change against the champion, and at the champion's
    MQL volume (sales capacity) the conversions each contender's top leads would have brought. -#}

with

holdout as (
    select * from {{ ref('int_backtest_holdout_by_persona') }}
),

auc as (
    select * from {{ ref('rpt_backtest_auc') }}
),

deciles as (
    select * from {{ ref('rpt_backtest_deciles') }}
),

assignment as (
    select * from {{ ref('int_rule_set_assignment') }}
),

champion as (
    select
        assignment.scoring_model,
        assignment.rule_set_version
    from assignment
    where assignment.is_champion
),

default_champion as (
    select
        assignment.scoring_model,
        assignment.rule_set_version
    from assignment
    where assignment.is_champion and assignment.is_default_model
),

overall as (
    select
        holdout.lead_id,
        holdout.as_of_date,
        holdout.contender,
        holdout.contender_kind,
        holdout.score,
        holdout.is_mql,
        holdout.is_converted
    from holdout
    where holdout.persona_group = 'all'
),

contenders as (
    select distinct overall.contender
    from overall
),

-- each contender's scoring model and the champion it is measured against
contender_models as (
    select
        contenders.contender,
        champion.scoring_model,
        champion.rule_set_version as champion_rule_set_version
    from contenders
    cross join default_champion
    left join assignment
        on contenders.contender = assignment.rule_set_version
    inner join champion
        on
            coalesce(assignment.scoring_model, default_champion.scoring_model)
            = champion.scoring_model
),

capacity as (
    select
        overall.as_of_date,
        champion.scoring_model,
        sum(case when overall.is_mql then 1 else 0 end) as champion_mql_count
    from overall
    inner join champion
        on overall.contender = champion.rule_set_version
    group by overall.as_of_date, champion.scoring_model
),

ranked as (
    select
        overall.as_of_date,
        overall.contender,
        overall.is_converted,
        row_number() over (
            partition by overall.as_of_date, overall.contender
            order by overall.score desc, overall.lead_id asc
        ) as score_rank
    from overall
),

at_capacity as (
    select
        ranked.as_of_date,
        ranked.contender,
        sum(
            case
                when ranked.score_rank <= capacity.champion_mql_count and ranked.is_converted then 1
                else 0
            end
        ) as conversions_at_capacity,
        sum(case when ranked.is_converted then 1 else 0 end) as conversions
    from ranked
    inner join contender_models
        on ranked.contender = contender_models.contender
    inner join capacity
        on
            ranked.as_of_date = capacity.as_of_date
            and contender_models.scoring_model = capacity.scoring_model
    group by ranked.as_of_date, ranked.contender
),

overall_auc as (
    select
        auc.as_of_date,
        auc.contender,
        auc.contender_kind,
        auc.row_count,
        max(case when auc.outcome = 'opportunity' then auc.roc_auc end) as roc_auc,
        max(case when auc.outcome = 'won' then auc.roc_auc end) as roc_auc_won
    from auc
    where auc.persona = 'all'
    group by auc.as_of_date, auc.contender, auc.contender_kind, auc.row_count
),

best_learned as (
    select
        overall_auc.as_of_date,
        max(overall_auc.roc_auc) as best_learned_auc
    from overall_auc
    where overall_auc.contender_kind <> 'rule_set'
    group by overall_auc.as_of_date
),

champion_auc as (
    select
        overall_auc.as_of_date,
        champion.scoring_model,
        overall_auc.roc_auc as champion_auc
    from overall_auc
    inner join champion
        on overall_auc.contender = champion.rule_set_version
),

top_decile as (
    select
        deciles.as_of_date,
        deciles.contender,
        deciles.lift as top_decile_lift,
        deciles.conversion_rate as top_decile_conversion_rate
    from deciles
    where deciles.persona = 'all' and deciles.score_decile = 1
),

final as (
    select
        overall_auc.as_of_date,
        overall_auc.contender,
        overall_auc.contender_kind,
        contender_models.scoring_model,
        coalesce(
            overall_auc.contender = contender_models.champion_rule_set_version, false
        ) as is_champion,
        overall_auc.row_count,
        overall_auc.roc_auc,
        overall_auc.roc_auc_won,
        best_learned.best_learned_auc,
        overall_auc.roc_auc - best_learned.best_learned_auc as auc_gap_to_best_learned,
        overall_auc.roc_auc - champion_auc.champion_auc as auc_change_vs_champion,
        top_decile.top_decile_lift,
        top_decile.top_decile_conversion_rate,
        capacity.champion_mql_count,
        at_capacity.conversions_at_capacity,
        at_capacity.conversions,
        case
            when at_capacity.conversions > 0
                then
                    cast(at_capacity.conversions_at_capacity as {{ type_double() }})
                    / at_capacity.conversions
        end as capture_at_capacity
    from overall_auc
    left join contender_models
        on overall_auc.contender = contender_models.contender
    left join best_learned
        on overall_auc.as_of_date = best_learned.as_of_date
    left join champion_auc
        on
            overall_auc.as_of_date = champion_auc.as_of_date
            and contender_models.scoring_model = champion_auc.scoring_model
    left join top_decile
        on
            overall_auc.as_of_date = top_decile.as_of_date
            and overall_auc.contender = top_decile.contender
    left join capacity
        on
            overall_auc.as_of_date = capacity.as_of_date
            and contender_models.scoring_model = capacity.scoring_model
    left join at_capacity
        on
            overall_auc.as_of_date = at_capacity.as_of_date
            and overall_auc.contender = at_capacity.contender
)

select * from final
