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

-- Web and form evidence that names an email: identify calls (which also carry the user id), events
-- that carried an email, form submissions. Bot user agents are no evidence.
email_evidence as (
    select
        identifies.anonymous_id,
        identifies.user_id,
        lower(trim(identifies.email)) as email,
        'web_identify' as identified_via,
        identifies.identified_at as evidence_at
    from identifies
    where identifies.identified_at is not null
    union all
    select
        web_events.anonymous_id,
        cast(null as {{ dbt.type_string() }}) as user_id,
        web_events.email,
        'web_event_email' as identified_via,
        web_events.event_at as evidence_at
    from web_events
    where
        web_events.email is not null
        and not web_events.is_bot_user_agent
    union all
    select
        form_submissions.anonymous_id,
        cast(null as {{ dbt.type_string() }}) as user_id,
        lower(trim(form_submissions.email)) as email,
        'form_submission' as identified_via,
        form_submissions.submitted_at as evidence_at
    from form_submissions
    where form_submissions.submitted_at is not null
),

email_evidence_of_leads as (
    select
        email_evidence.anonymous_id,
        email_evidence.user_id,
        email_evidence.identified_via,
        email_evidence.evidence_at,
        lead_emails.lead_id,
        lead_emails.lead_created_at
    from email_evidence
    inner join lead_emails
        on email_evidence.email = lead_emails.email
),

user_id_candidates as (
    select
        'user_id' as identifier_type,
        user_id as identifier_value,
        lead_id,
        identified_via,
        min(evidence_at) as evidence_at,
        min(lead_created_at) as lead_created_at
    from email_evidence_of_leads
    where user_id is not null
    group by user_id, lead_id, identified_via
),

-- user ids first: an event's user id is evidence for its anonymous id from the user id's link on
user_id_links as (
    {{ earliest_links('user_id_candidates') }}
),

-- anonymous_id evidence: the email evidence above, and events that carried a (linked) user id
anonymous_by_event_user as (
    select
        'anonymous_id' as identifier_type,
        web_events.anonymous_id as identifier_value,
        user_id_links.lead_id,
        'web_event_user_id' as identified_via,
        -- the user id link existed only from its own linked_at (never before the lead)
        greatest(min(web_events.event_at), min(user_id_links.linked_at)) as evidence_at,
        min(user_id_links.linked_at) as lead_created_at
    from web_events
    inner join user_id_links
        on web_events.user_id = user_id_links.identifier_value
    where
        web_events.user_id is not null
        and web_events.anonymous_id is not null
        and not web_events.is_bot_user_agent
    group by web_events.anonymous_id, user_id_links.lead_id
),

anonymous_by_email as (
    select
        'anonymous_id' as identifier_type,
        anonymous_id as identifier_value,
        lead_id,
        identified_via,
        min(evidence_at) as evidence_at,
        min(lead_created_at) as lead_created_at
    from email_evidence_of_leads
    where anonymous_id is not null
    group by anonymous_id, lead_id, identified_via
),

other_candidates as (
    select * from anonymous_by_email
    union all
    select * from anonymous_by_event_user
    union all
    select * from crm_id_candidates
    union all
    select * from email_candidates
    union all
    select * from social_handle_candidates
),

other_links as (
    {{ earliest_links('other_candidates') }}
),

final as (
    select * from other_links
    union all
    select * from user_id_links
)

select * from final
