{{ config(materialized='table') }}

{#- The distributions rpt_score_stability compares: for each subject, a rule set's total score or a
    feature, the leads of each population of int_stability_population in each bin, one row per
    (subject, bin), bins neither population fills included. Bins:
    - a score: the bands of seed score_bands;
    - a numeric or boolean feature: quantile bins of its baseline values (evaluation_stability_bins
      of them at most: a bin starts at the lowest baseline value of each quantile, tied quantiles
      are one bin; a current value below every baseline value is in the first bin);
    - a text feature: one bin per value seen in either population;
    - null values (features): bin 0, 'missing'. -#}

{%- set max_bins = evaluation_setting('evaluation_stability_bins') | int %}

with

population as (
    select * from {{ ref('int_stability_population') }}
),

scores as (
    select * from {{ ref('int_lead_scores_by_date') }}
),

features as (
    select * from {{ ref('int_lead_features_long') }}
),

catalog as (
    select * from {{ ref('int_feature_catalog') }}
),

bands as (
    select * from {{ ref('score_bands') }}
),

numbered_bands as (
    select
        bands.score_band,
        bands.min_score,
        bands.max_score,
        row_number() over (order by bands.min_score) as bin_number
    from bands
),

score_counts as (
    select
        'score' as subject_type,
        scores.rule_set_version as subject_name,
        numbered_bands.bin_number,
        population.population,
        count(*) as leads
    from scores
    inner join population
        on
            scores.lead_id = population.lead_id
            and scores.as_of_date = population.as_of_date
    inner join numbered_bands
        on
            scores.total_score >= numbered_bands.min_score
            and (
                scores.total_score < numbered_bands.max_score
                or numbered_bands.max_score >= 100
            )
    group by scores.rule_set_version, numbered_bands.bin_number, population.population
),

feature_values as (
    select
        features.lead_id,
        features.feature_name,
        catalog.value_type,
        population.population,
        features.feature_value_numeric,
        features.feature_value_text
    from features
    inner join population
        on
            features.lead_id = population.lead_id
            and features.as_of_date = population.as_of_date
    inner join catalog
        on features.feature_name = catalog.feature_name
),

baseline_quantiles as (
    select
        feature_name,
        feature_value_numeric,
        ntile({{ max_bins }}) over (
            partition by feature_name
            order by feature_value_numeric
        ) as quantile
    from feature_values
    where
        population = 'baseline'
        and value_type in ('numeric', 'boolean')
        and feature_value_numeric is not null
),

quantile_starts as (
    select
        feature_name,
        min(feature_value_numeric) as lower_value
    from baseline_quantiles
    group by feature_name, quantile
),

numeric_edges as (
    select
        feature_name,
        lower_value,
        row_number() over (partition by feature_name order by lower_value) as bin_number
    from (
        select distinct
            feature_name,
            lower_value
        from quantile_starts
    ) as distinct_starts
),

numeric_binned as (
    select
        feature_values.feature_name,
        feature_values.population,
        case
            when feature_values.feature_value_numeric is null then 0
            else coalesce(max(numeric_edges.bin_number), 1)
        end as bin_number
    from feature_values
    left join numeric_edges
        on
            feature_values.feature_name = numeric_edges.feature_name
            and feature_values.feature_value_numeric >= numeric_edges.lower_value
    where feature_values.value_type in ('numeric', 'boolean')
    group by
        feature_values.lead_id,
        feature_values.feature_name,
        feature_values.population,
        feature_values.feature_value_numeric
),

text_bins as (
    select
        feature_name,
        feature_value_text,
        row_number() over (partition by feature_name order by feature_value_text) as bin_number
    from (
        select distinct
            feature_name,
            feature_value_text
        from feature_values
        where
            value_type = 'text'
            and feature_value_text is not null
    ) as distinct_values
),

feature_counts as (
    select
        'feature' as subject_type,
        numeric_binned.feature_name as subject_name,
        numeric_binned.bin_number,
        numeric_binned.population,
        count(*) as leads
    from numeric_binned
    group by numeric_binned.feature_name, numeric_binned.bin_number, numeric_binned.population
    union all
    select
        'feature' as subject_type,
        feature_values.feature_name as subject_name,
        coalesce(text_bins.bin_number, 0) as bin_number,
        feature_values.population,
        count(*) as leads
    from feature_values
    left join text_bins
        on
            feature_values.feature_name = text_bins.feature_name
            and feature_values.feature_value_text = text_bins.feature_value_text
    where feature_values.value_type = 'text'
    group by
        feature_values.feature_name,
        coalesce(text_bins.bin_number, 0),
        feature_values.population
),

bin_counts as (
    select * from score_counts
    union all
    select * from feature_counts
),

-- every bin of every subject: the score bands of each rule set scored, the missing bin and the
-- value bins of each feature, and any bin a population fills
bin_grid as (
    select distinct
        'score' as subject_type,
        score_counts.subject_name,
        numbered_bands.bin_number,
        numbered_bands.score_band as bin_label,
        cast(numbered_bands.min_score as {{ type_double_precision() }}) as bin_lower_value
    from score_counts
    cross join numbered_bands
    union all
    select
        'feature' as subject_type,
        numeric_edges.feature_name as subject_name,
        numeric_edges.bin_number,
        {{ dbt.concat(["'>= '", woe_edge_text('numeric_edges.lower_value')]) }} as bin_label,
        numeric_edges.lower_value as bin_lower_value
    from numeric_edges
    union all
    select
        'feature' as subject_type,
        text_bins.feature_name as subject_name,
        text_bins.bin_number,
        text_bins.feature_value_text as bin_label,
        cast(null as {{ type_double_precision() }}) as bin_lower_value
    from text_bins
    union all
    select distinct
        'feature' as subject_type,
        feature_counts.subject_name,
        0 as bin_number,
        'missing' as bin_label,
        cast(null as {{ type_double_precision() }}) as bin_lower_value
    from feature_counts
),

-- a numeric feature without baseline values has no edges: its values share bin 1
unlisted_bins as (
    select distinct
        bin_counts.subject_type,
        bin_counts.subject_name,
        bin_counts.bin_number,
        'any value' as bin_label,
        cast(null as {{ type_double_precision() }}) as bin_lower_value
    from bin_counts
    left join bin_grid
        on
            bin_counts.subject_type = bin_grid.subject_type
            and bin_counts.subject_name = bin_grid.subject_name
            and bin_counts.bin_number = bin_grid.bin_number
    where bin_grid.bin_number is null
),

all_bins as (
    select * from bin_grid
    union all
    select * from unlisted_bins
),

population_sizes as (
    select
        population,
        count(*) as population_leads
    from population
    group by population
),

final as (
    select
        all_bins.subject_type,
        all_bins.subject_name,
        all_bins.bin_number,
        all_bins.bin_label,
        all_bins.bin_lower_value,
        coalesce(baseline_counts.leads, 0) as baseline_leads,
        coalesce(current_counts.leads, 0) as current_leads,
        cast(coalesce(baseline_counts.leads, 0) as {{ type_double_precision() }})
        / baseline_size.population_leads as baseline_share,
        cast(coalesce(current_counts.leads, 0) as {{ type_double_precision() }})
        / current_size.population_leads as current_share
    from all_bins
    inner join population_sizes as baseline_size
        on baseline_size.population = 'baseline'
    inner join population_sizes as current_size
        on current_size.population = 'current'
    left join bin_counts as baseline_counts
        on
            all_bins.subject_type = baseline_counts.subject_type
            and all_bins.subject_name = baseline_counts.subject_name
            and all_bins.bin_number = baseline_counts.bin_number
            and baseline_counts.population = 'baseline'
    left join bin_counts as current_counts
        on
            all_bins.subject_type = current_counts.subject_type
            and all_bins.subject_name = current_counts.subject_name
            and all_bins.bin_number = current_counts.bin_number
            and current_counts.population = 'current'
)

select * from final
