{#- ROC AUC of every contender (rule sets, learned weights) on the held-out sample only, per
    cut-off, persona ('all' = every persona) and outcome (opportunity created, or deal won, in the
    label window), computed in SQL (macro roc_auc: Mann-Whitney with average ranks for ties). -#}

with

holdout as (
    select * from {{ ref('int_backtest_holdout_by_persona') }}
),

by_outcome as (
    select
        holdout.as_of_date,
        holdout.contender,
        holdout.contender_kind,
        holdout.persona_group as persona,
        holdout.score,
        'opportunity' as outcome,
        holdout.is_converted as is_positive
    from holdout
    union all
    select
        holdout.as_of_date,
        holdout.contender,
        holdout.contender_kind,
        holdout.persona_group as persona,
        holdout.score,
        'won' as outcome,
        holdout.is_won as is_positive
    from holdout
),

auc as (
    {{ roc_auc(
        'by_outcome',
        ['as_of_date', 'contender', 'contender_kind', 'persona', 'outcome'],
        'score',
        'is_positive'
    ) }}
),

final as (
    select
        auc.as_of_date,
        auc.contender,
        auc.contender_kind,
        auc.persona,
        auc.outcome,
        auc.row_count,
        auc.positive_count,
        auc.negative_count,
        cast(auc.positive_count as {{ type_double() }}) / auc.row_count as conversion_rate,
        auc.roc_auc
    from auc
)

select * from final
