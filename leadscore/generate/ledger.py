"""The ledger of planted issues: every planted row of a window, listed in generator_truth.planted_mess."""

from __future__ import annotations

from leadscore.generate.emails import EMAIL_KINDS
from leadscore.generate.mess import RATES
from leadscore.generate.sql import TRUTH, _sql_list


class Ledger:
    """Records the planted mess (needs the SqlParts, the window and the temp mess tables)."""

    def record_mess(self, leads: int) -> None:
        win = f"_loaded_at >= {self.lo} and _loaded_at < {self.hi}"
        crm_pid = "cast(substr(id, 4, 12) as bigint)"
        lead_email_u = self.u(crm_pid, "'crm_email'")
        miss, inval = RATES["missing_email"], RATES["missing_email"] + RATES["invalid_email"]
        candidates = f"""
        with web as (select event_id, anonymous_id from other_web_events)
        select distinct 'raw_web.events' as source_table, anonymous_id as row_key, 'bot_user_agent' as mess_kind from web where event_id like 'evt\\_bua\\_%' escape '\\'
        union all
        select distinct 'raw_web.events', anonymous_id, 'bot_event_rate' from web where event_id like 'evt\\_brate\\_%' escape '\\'
        union all
        select distinct 'raw_web.events', anonymous_id, 'unknown_anonymous_id' from web where event_id like 'evt\\_v%' escape '\\'

        union all
        select 'raw_crm.leads', id, 'crm_duplicate_person' from raw_crm.leads where {win} and id like '%DUP'
        union all
        select 'raw_crm.leads', id, 'crm_stale_version' from raw_crm.leads
        where id in (select id from raw_crm.leads where {win}) group by id having count(*) > 1
        union all
        select 'raw_crm.leads', id, case when {lead_email_u} < {miss} then 'missing_email' else 'invalid_email' end
        from raw_crm.leads where {win} and id like '%AAA' and {lead_email_u} < {inval}
        union all
        select 'raw_crm.leads', l.id, 'soft_deleted' from raw_crm.leads as l where {win} and is_deleted
        union all
        select 'raw_crm.accounts', id, 'soft_deleted' from raw_crm.accounts where {win} and is_deleted
        union all
        select 'raw_crm.opportunities', id, 'soft_deleted' from raw_crm.opportunities where {win} and is_deleted
        union all
        select 'raw_crm.leads', l.id, t.persona || '_lead' from raw_crm.leads as l
        inner join {TRUTH}.leads as t on {crm_pid.replace('id', 'l.id')} = t.person_id
        where {win.replace('_loaded_at', 'l._loaded_at')} and t.persona in ('spammer', 'internal')
        union all
        select 'raw_forms.submissions', submission_id, 'failed_captcha' from raw_forms.submissions
        where {win} and captcha_result = 'fail'
        union all
        select 'raw_forms.submissions', submission_id,
            case when {self.u("cast(split_part(submission_id, '_', 2) as bigint)", "cast(split_part(submission_id, '_', 3) as integer)", "'form_email'")} < {miss}
                 then 'missing_email' else 'invalid_email' end
        from raw_forms.submissions
        where {win} and {self.u("cast(split_part(submission_id, '_', 2) as bigint)", "cast(split_part(submission_id, '_', 3) as integer)", "'form_email'")} < {inval}
        union all
        select 'raw_web.identifies', message_id,
            case when {self.u("cast(split_part(message_id, '_', 2) as bigint)", "cast(split_part(message_id, '_', 3) as integer)", "'idf_email'")} < {miss}
                 then 'missing_email' else 'invalid_email' end
        from raw_web.identifies
        where {win} and {self.u("cast(split_part(message_id, '_', 2) as bigint)", "cast(split_part(message_id, '_', 3) as integer)", "'idf_email'")} < {inval}
        """
        self.con.execute(f"""
            insert into {TRUTH}.planted_mess
            select distinct * from ({candidates})
            except select * from {TRUTH}.planted_mess
        """)
        # Event-level mess of web and email events, listed while they were generated: already one row each.
        kinds = _sql_list([k for k, _ in EMAIL_KINDS])
        self.con.execute(f"""
            insert into {TRUTH}.planted_mess
            select 'raw_web.events', concat('evt_', person_id, '_', kind, '_', i),
                case mess when 1 then 'unknown_event_name' when 2 then 'malformed_json' when 3 then 'negative_duration'
                    when 4 then 'future_timestamp' when 5 then 'late_arrival' else 'duplicate_delivery' end
            from web_mess
            union all
            select 'raw_email.email_events', concat('em_', person_id, '_', {kinds}[kind + 1], '_', i),
                case mess when 4 then 'future_timestamp' else 'duplicate_delivery' end
            from email_mess
        """)
