{{ config(materialized='table') }}

{#- Every sales disposition of an MQL (stg_crm__mql_feedback) known as of the run's as-of date,
    attributed to its canonical lead through the CRM lead id (identity map), with the time a later
    disposition of the same lead superseded it. A rejection as `duplicate` is about a CRM record, not
    about the person: it never supersedes the lead's other dispositions, and it is the lead's
    disposition only when the lead has no other. is_latest marks the one disposition per lead that
    stands on the as-of date. -#}

with

feedback as (
    select * from {{ ref('stg_crm__mql_feedback') }}
),

identity_map as (
    select * from {{ ref('int_identity_map') }}
),

scoring_dates as (
    select * from {{ ref('int_scoring_dates') }}
),

current_cutoff as (
    select scoring_dates.cutoff_at
    from scoring_dates
    where scoring_dates.is_current_as_of_date
),

attributed as (
    select
        feedback.mql_feedback_id,
        identity_map.lead_id,
        feedback.crm_lead_id,
        feedback.owner_id,
        feedback.disposition,
        feedback.disposition_reason,
        feedback.disposed_at,
        coalesce(feedback.disposition_reason = 'duplicate', false) as is_record_duplicate
    from feedback
    cross join current_cutoff
    inner join identity_map
        on
            identity_map.identifier_type = 'crm_lead_id'
            and feedback.crm_lead_id = identity_map.identifier_value
    where feedback.disposed_at < current_cutoff.cutoff_at
),

sequenced as (
    select
        attributed.*,
        lead(attributed.disposed_at) over (
            partition by attributed.lead_id, attributed.is_record_duplicate
            order by attributed.disposed_at, attributed.mql_feedback_id
        ) as superseded_at,
        min(case when attributed.is_record_duplicate then 1 else 0 end) over (
            partition by attributed.lead_id
        ) = 1 as has_only_duplicate_rejections
    from attributed
),

final as (
    select
        sequenced.mql_feedback_id,
        sequenced.lead_id,
        sequenced.crm_lead_id,
        sequenced.owner_id,
        sequenced.disposition,
        sequenced.disposition_reason,
        sequenced.disposed_at,
        sequenced.superseded_at,
        sequenced.is_record_duplicate,
        sequenced.disposition = 'accepted' as is_accepted,
        sequenced.superseded_at is null
        and (
            not sequenced.is_record_duplicate or sequenced.has_only_duplicate_rejections
        ) as is_latest
    from sequenced
)

select * from final
