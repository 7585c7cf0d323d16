{{ config(severity='warn') }}

{#- Warns when a rule set's score or a feature has shifted since the training cut-off by more than
    evaluation_stability_max_psi (rpt_score_stability): the rules were tuned on a population that no
    longer looks like today's; re-learn or review them. Each failing row names the subject. -#}

select
    subject_type,
    subject_name,
    psi,
    baseline_as_of_date,
    current_as_of_date
from {{ ref('rpt_score_stability') }}
where is_psi_over_limit
