{{ config(materialized='table') }}

{#- Every source identifier resolved to one canonical lead. Each link carries linked_at, the
    moment it became knowable (its earliest evidence, and never before the lead existed), so
    features as of a past date use only the links known then. When evidence ties one identifier
    to several leads, the earliest link wins (ties: smallest lead_id); later evidence never
    moves an identifier, so a past date's attribution is stable. -#}

with

leads as (
    select * from {{ ref('int_leads_deduplicated') }}
),

crm_leads as (
    select * from {{ ref('stg_crm__leads') }}
),

identifies as (
    select * from {{ ref('stg_web__identifies') }}
),

web_events as (
    select * from {{ ref('int_web_events_classified') }}
),

form_submissions as (
    select * from {{ ref('stg_forms__submissions') }}
),

lead_emails as (
    select
        lead_id,
        email,
        created_at as lead_created_at
    from leads
),

crm_records as (
    select
        crm_leads.crm_lead_id,
        crm_leads.social_handle,
        crm_leads.created_at,
        coalesce(crm_leads.is_deleted, false) as is_deleted,
        lead_emails.lead_id,
        lead_emails.lead_created_at
    from crm_leads
    inner join lead_emails
        on lower(trim(crm_leads.email)) = lead_emails.email
),

-- crm_lead_id: every CRM record of a lead's email, soft-deleted ones too (typically duplicates
-- merged away in the CRM), so that opportunities that still point at them resolve to the person.
crm_id_candidates as (
    select
        'crm_lead_id' as identifier_type,
        crm_lead_id as identifier_value,
        lead_id,
        case when is_deleted then 'crm_deleted_record' else 'crm_record' end as identified_via,
        coalesce(created_at, lead_created_at) as evidence_at,
        lead_created_at
    from crm_records
    where crm_lead_id is not null
),

email_candidates as (
    select
        'email' as identifier_type,
        email as identifier_value,
        lead_id,
        'crm_record' as identified_via,
        lead_created_at as evidence_at,
        lead_created_at
    from lead_emails
),

social_handle_candidates as (
    select
        'social_handle' as identifier_type,
        social_handle as identifier_value,
        lead_id,
        'crm_record' as identified_via,
        min(coalesce(created_at, lead_created_at)) as evidence_at,
        min(lead_created_at) as lead_created_at
    from crm_records
    where
        not is_deleted
        and social_handle is not null
        and social_handle != ''
    group by social_handle, lead_id
),

user_id_candidates as (
    select
        'user_id' as identifier_type,
        identifies.user_id as identifier_value,
        lead_emails.lead_id,
        'web_identify' as identified_via,
        min(identifies.identified_at) as evidence_at,
        min(lead_emails.lead_created_at) as lead_created_at
    from identifies
    inner join lead_emails
        on lower(trim(identifies.email)) = lead_emails.email
    where
        identifies.user_id is not null
        and identifies.identified_at is not null
    group by identifies.user_id, lead_emails.lead_id
),

user_id_ranked as (
    select
        identifier_type,
        identifier_value,
        lead_id,
        identified_via,
        greatest(evidence_at, lead_created_at) as linked_at,
        row_number() over (
            partition by identifier_value
            order by
                greatest(evidence_at, lead_created_at),
                lead_id
        ) as link_rank
    from user_id_candidates
),

user_id_links as (
    select
        identifier_type,
        identifier_value,
        lead_id,
        identified_via,
        linked_at
    from user_id_ranked
    where link_rank = 1
),

-- anonymous_id evidence: identify calls, events that carried an email or a (known) user id, and
-- form submissions. Bot user agents are no evidence.
anonymous_by_identify as (
    select
        identifies.anonymous_id,
        lead_emails.lead_id,
        'web_identify' as identified_via,
        min(identifies.identified_at) as evidence_at,
        min(lead_emails.lead_created_at) as lead_created_at
    from identifies
    inner join lead_emails
        on lower(trim(identifies.email)) = lead_emails.email
    where
        identifies.anonymous_id is not null
        and identifies.identified_at is not null
    group by identifies.anonymous_id, lead_emails.lead_id
),

anonymous_by_event_email as (
    select
        web_events.anonymous_id,
        lead_emails.lead_id,
        'web_event_email' as identified_via,
        min(web_events.event_at) as evidence_at,
        min(lead_emails.lead_created_at) as lead_created_at
    from web_events
    inner join lead_emails
        on web_events.email = lead_emails.email
    where
        web_events.email is not null
        and web_events.anonymous_id is not null
        and not web_events.is_bot_user_agent
    group by web_events.anonymous_id, lead_emails.lead_id
),

anonymous_by_event_user as (
    select
        web_events.anonymous_id,
        user_id_links.lead_id,
        'web_event_user_id' as identified_via,
        min(web_events.event_at) as first_event_at,
        min(user_id_links.linked_at) as evidence_at_floor
    from web_events
    inner join user_id_links
        on web_events.user_id = user_id_links.identifier_value
    where
        web_events.user_id is not null
        and web_events.anonymous_id is not null
        and not web_events.is_bot_user_agent
    group by web_events.anonymous_id, user_id_links.lead_id
),

anonymous_by_form as (
    select
        form_submissions.anonymous_id,
        lead_emails.lead_id,
        'form_submission' as identified_via,
        min(form_submissions.submitted_at) as evidence_at,
        min(lead_emails.lead_created_at) as lead_created_at
    from form_submissions
    inner join lead_emails
        on lower(trim(form_submissions.email)) = lead_emails.email
    where
        form_submissions.anonymous_id is not null
        and form_submissions.submitted_at is not null
    group by form_submissions.anonymous_id, lead_emails.lead_id
),

anonymous_id_candidates as (
    select
        anonymous_id,
        lead_id,
        identified_via,
        evidence_at,
        lead_created_at
    from anonymous_by_identify
    union all
    select
        anonymous_id,
        lead_id,
        identified_via,
        evidence_at,
        lead_created_at
    from anonymous_by_event_email
    union all
    select
        anonymous_id,
        lead_id,
        identified_via,
        -- the user id link existed only from its own linked_at (never before the lead)
        greatest(first_event_at, evidence_at_floor) as evidence_at,
        evidence_at_floor as lead_created_at
    from anonymous_by_event_user
    union all
    select
        anonymous_id,
        lead_id,
        identified_via,
        evidence_at,
        lead_created_at
    from anonymous_by_form
),

other_candidates as (
    select
        'anonymous_id' as identifier_type,
        anonymous_id as identifier_value,
        lead_id,
        identified_via,
        evidence_at,
        lead_created_at
    from anonymous_id_candidates
    union all
    select
        identifier_type,
        identifier_value,
        lead_id,
        identified_via,
        evidence_at,
        lead_created_at
    from crm_id_candidates
    union all
    select
        identifier_type,
        identifier_value,
        lead_id,
        identified_via,
        evidence_at,
        lead_created_at
    from email_candidates
    union all
    select
        identifier_type,
        identifier_value,
        lead_id,
        identified_via,
        evidence_at,
        lead_created_at
    from social_handle_candidates
),

other_ranked as (
    select
        identifier_type,
        identifier_value,
        lead_id,
        identified_via,
        greatest(evidence_at, lead_created_at) as linked_at,
        row_number() over (
            partition by identifier_type, identifier_value
            order by
                greatest(evidence_at, lead_created_at),
                lead_id,
                identified_via
        ) as link_rank
    from other_candidates
),

final as (
    select
        identifier_type,
        identifier_value,
        lead_id,
        identified_via,
        linked_at
    from other_ranked
    where link_rank = 1
    union all
    select
        identifier_type,
        identifier_value,
        lead_id,
        identified_via,
        linked_at
    from user_id_links
)

select * from final
