"""The forms source (raw_forms): web form submissions (demo requests, spam, ...), as SQL over `people`."""

from __future__ import annotations

from leadscore.generate.people import COMPANY_KINDS, COMPANY_WORDS
from leadscore.generate.sql import _pick
from leadscore.generate.web import WWW


class FormsSql:
    """SQL of raw_forms.submissions (needs the SqlParts and MessSql)."""

    def forms_sql(self) -> str:
        return f"""
        with x as (
            select person_id, 0 as i from people where lead_source = 'Web'
            union all
            select person_id, 1 as i from people where demo_requested
            union all
            select person_id, 2 as i from people where persona = 'spammer' and {self.u('person_id', "'spamform'")} < 0.5
        ),
        f as (
            select p.*, x.i, {self.h('x.person_id', "'form'", 'x.i')} as h,
                case x.i when 0 then p.created_at - interval 1 minute
                    else p.first_touch_at + to_seconds(cast({self.h('x.person_id', "'formt'", 'x.i')} % (20 * 86400) as bigint)) end
                    as submitted_at
            from x inner join people as p on x.person_id = p.person_id
        )
        select
            'sub_' || person_id || '_' || i as submission_id,
            case i when 1 then 'demo_request'
                else {_pick(['contact_sales', 'newsletter', 'whitepaper_download', 'webinar_registration', 'newsletter'], 'h')} end
                as form_name,
            case i when 1 then '{WWW}/demo' else '{WWW}/' || {_pick(['contact', 'blog/lead-scoring-101', 'resources/whitepapers/roi-guide', 'webinars/ai-for-bi', ''], 'h')} end
                as page_url,
            case when has_web then anon1 end as anonymous_id,
            {self.broken_email('email', self.u('person_id', 'i', "'form_email'"), 'h >> 4')} as email,
            first_name,
            last_name,
            case when persona = 'student' then 'University' else {_pick(COMPANY_WORDS, 'company_idx')} || ' ' || {_pick(COMPANY_KINDS, 'company_idx // 25')} end
                as company,
            title as job_title,
            case when (h >> 8) % 3 = 0 then '+1 415 555 ' || lpad(cast(person_id % 10000 as varchar), 4, '0') end as phone,
            country_typed as country,
            case when i = 1 then 'We would like to see a demo.' when persona = 'spammer' then 'Buy cheap SEO backlinks www.seo-cheap.biz' end
                as message,
            case when persona = 'spammer' and (h >> 12) % 10 < 6 then 'fail'
                 when (h >> 12) % 100 = 0 then 'fail' else 'pass' end as captcha_result,
            case when persona = 'spammer' then ((h >> 16) % 40) / 100.0 else 0.6 + ((h >> 16) % 40) / 100.0 end as captcha_score,
            submitted_at,
            submitted_at + to_seconds(cast(30 + (h >> 24) % 600 as bigint)) as _loaded_at
        from f
        """
