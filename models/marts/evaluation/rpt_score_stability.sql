{#- Population stability of each scoring model's score and of every feature between the training
    cut-off (the baseline) and the run's as-of date (current), one row per subject: a rule set's
    total score (over the bands of seed score_bands) or a feature (int_stability_bins). PSI = sum over
    bins of (current share - baseline share) * ln(current share / baseline share), shares floored at
    0.0001 so that an empty bin counts as a large shift instead of dividing by zero. Usual reading:
    < 0.1 stable, 0.1-0.25 moderate shift, above that a major shift; above
    evaluation_stability_max_psi (default 0.25) is_psi_over_limit, which a warn-severity test
    reports (the rule set was tuned on a population that no longer looks like today's), when both
    populations hold at least evaluation_stability_min_leads (300) leads: with 100 leads in 10 bins,
    chance alone gives a PSI of about 0.2. -#}

{%- set max_psi = evaluation_setting('evaluation_stability_max_psi') | float %}
{%- set min_leads = evaluation_setting('evaluation_stability_min_leads') | int %}
{%- set min_share = 0.0001 %}

with

bins as (
    select * from {{ ref('int_stability_bins') }}
),

population as (
    select * from {{ ref('int_stability_population') }}
),

rules as (
    select * from {{ ref('int_scoring_rules') }}
),

population_dates as (
    select
        max(case when population = 'baseline' then as_of_date end) as baseline_as_of_date,
        max(case when population = 'current' then as_of_date end) as current_as_of_date
    from population
),

feature_readers as (
    select distinct
        rules.feature_name,
        rules.rule_set_version
    from rules
    where rules.is_active
),

read_by as (
    select
        feature_readers.feature_name,
        {{ dbt.listagg(
            'feature_readers.rule_set_version', "', '",
            'order by feature_readers.rule_set_version') }} as read_by_rule_sets
    from feature_readers
    group by feature_readers.feature_name
),

floored as (
    select
        subject_type,
        subject_name,
        baseline_leads,
        current_leads,
        greatest(baseline_share, {{ min_share }}) as baseline_share,
        greatest(current_share, {{ min_share }}) as current_share
    from bins
),

stability as (
    select
        subject_type,
        subject_name,
        count(*) as bins,
        sum(baseline_leads) as baseline_leads,
        sum(current_leads) as current_leads,
        sum((current_share - baseline_share) * ln(current_share / baseline_share)) as psi
    from floored
    group by subject_type, subject_name
),

final as (
    select
        stability.subject_type,
        stability.subject_name,
        case when stability.subject_type = 'score' then stability.subject_name end
            as rule_set_version,
        case
            when stability.subject_type = 'score' then stability.subject_name
            else read_by.read_by_rule_sets
        end as read_by_rule_sets,
        population_dates.baseline_as_of_date,
        population_dates.current_as_of_date,
        stability.baseline_leads,
        stability.current_leads,
        stability.bins,
        stability.psi,
        case
            when stability.psi < 0.1 then 'stable'
            when stability.psi <= 0.25 then 'moderate shift'
            else 'major shift'
        end as stability,
        stability.baseline_leads >= {{ min_leads }}
        and stability.current_leads >= {{ min_leads }} as has_enough_leads,
        stability.psi > {{ max_psi }}
        and stability.baseline_leads >= {{ min_leads }}
        and stability.current_leads >= {{ min_leads }} as is_psi_over_limit
    from stability
    cross join population_dates
    left join read_by
        on
            stability.subject_type = 'feature'
            and stability.subject_name = read_by.feature_name
)

select * from final
